# The two commands of the quick start: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install translations lint messages chromium e2e

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

translations: install
	$(BIN)/pybabel compile --domain django --directory lider/locale --statistics

# Extract message ids, fill Polish from scripts/translations/*.json, compile. Lists what is missing.
# Fails on any message without a Polish translation. Extraction needs GNU gettext (xgettext);
# without it the existing catalogue is still checked. When only the extraction date would
# change, the catalogue is left as it was (a test run leaves the work tree clean).
PO := lider/locale/pl/LC_MESSAGES/django.po
messages: install
	@cp $(PO) $(VENV)/django.po.before
	@if command -v xgettext >/dev/null; then cd lider && ../$(BIN)/lider makemessages -l pl --no-location --no-obsolete -v0; else echo "xgettext not found: checking the existing catalogue only"; fi
	$(BIN)/python scripts/po_fill.py --before $(VENV)/django.po.before
	$(BIN)/pybabel compile --domain django --directory lider/locale --statistics

# Set up, load the demo project and serve it on http://127.0.0.1:8000/ (or PORT=8101).
# Links made outside a request (QR codes, e-mails) point there unless SITE_URL is set.
PORT ?= 8000
DEMO_SITE_URL = $${SITE_URL:-http://127.0.0.1:$(PORT)}
demo: translations
	$(BIN)/lider migrate --no-input
	SITE_URL=$(DEMO_SITE_URL) $(BIN)/lider demo
	$(BIN)/lider serve 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The real-browser suite (tests/e2e, marker e2e) drives Debian's Chromium through Playwright;
# no browser is downloaded. Installed here when missing (apt-get, as root or through sudo).
chromium:
	@command -v chromium >/dev/null || { \
		sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
		echo "Installing Debian's chromium for the browser tests"; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium; }

# The browser suite alone (SQLite, or the database of DATABASE_URL when it is set).
e2e: translations chromium
	$(BIN)/pytest -m e2e

# The whole suite on SQLite, and on PostgreSQL too when DATABASE_URL is set.
test: messages lint chromium
	$(BIN)/lider makemigrations --check --dry-run
	@# With DATABASE_URL, PostgreSQL runs beside SQLite (each suite is mostly one core's work);
	@# its output is printed when both have ended.
	@pg=0; if [ -n "$$DATABASE_URL" ]; then \
		$(BIN)/pytest -p no:cacheprovider > $(VENV)/pytest-postgresql.log 2>&1 & pg=$$!; fi; \
	echo "== SQLite"; env -u DATABASE_URL $(BIN)/pytest; sqlite=$$?; \
	if [ $$pg -ne 0 ]; then wait $$pg; postgres=$$?; \
		echo "== PostgreSQL: $$DATABASE_URL"; cat $(VENV)/pytest-postgresql.log; \
	else postgres=0; fi; \
	[ $$sqlite -eq 0 ] && [ $$postgres -eq 0 ]
