# Lider's container image: one image for the web process (`lider serve`, the default command),
# the background worker (`lider worker`) and one-off commands (`lider migrate`, `lider demo`, …).
# compose.yaml runs the whole set; docs/deployment.md ("Container") tells how it is built and
# tested, also on a machine without Docker Hub (BASE: a local Debian bookworm image).
ARG BASE=python:3.11-slim-bookworm

# Build stage: a virtual environment with Lider installed from this tree (a wheel build, which
# compiles the Polish catalogue from django.po) and the static files collected.
FROM ${BASE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
RUN python3 -m venv /opt/lider
WORKDIR /src
# The dependencies first, in their own layer: a change to Lider's code alone reuses it.
COPY pyproject.toml ./
RUN python3 -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && /opt/lider/bin/pip install --requirement /tmp/requirements.txt
COPY setup.py README.md ./
COPY lider ./lider
RUN /opt/lider/bin/pip install --no-deps . \
    && /opt/lider/bin/python -P -c "from babel.messages.mofile import read_mo; import lider, pathlib; mo = pathlib.Path(lider.__file__).parent / 'locale/pl/LC_MESSAGES/django.mo'; assert len(read_mo(mo.open('rb'))) > 100, mo" \
    && /opt/lider/bin/python -m pip uninstall --yes --quiet pip
# Collected as production serves them (hashed names, compressed copies, the manifest); the key
# and host here are for this command only, never part of the image's environment.
RUN LIDER_PRODUCTION=1 SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
    LIDER_DATA_DIR=/var/lib/lider /opt/lider/bin/lider collectstatic --no-input --verbosity 0

# Final stage: the base image, the virtual environment and the static files; no compiler, no
# pip cache, no source tree. Runs as the unprivileged user `lider`.
FROM ${BASE}
RUN groupadd --gid 10001 lider \
    && useradd --uid 10001 --gid lider --home-dir /var/lib/lider --no-create-home \
       --shell /usr/sbin/nologin lider
COPY --from=build /opt/lider /opt/lider
COPY --from=build /var/lib/lider/static /var/lib/lider/static
# The data directory is the user's (`lider check-install` writes a probe file there); the
# static files in it stay root's. Uploaded files (signed scans, pending imports, export files)
# live in media/: mount a volume there (shared by web and worker), or set LIDER_S3_BUCKET.
RUN mkdir /var/lib/lider/media && chown lider:lider /var/lib/lider /var/lib/lider/media
ENV PATH=/opt/lider/bin:$PATH \
    LIDER_DATA_DIR=/var/lib/lider \
    LIDER_PRODUCTION=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /var/lib/lider
USER lider
EXPOSE 8000
ENTRYPOINT ["lider"]
CMD ["serve", "0.0.0.0:8000"]
