import os
import subprocess
import sys


def run_lider(*args, env):
    """Run `lider` in a fresh process with only Lider-neutral variables inherited."""
    inherited = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "-m", "lider.cli", *args],
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    result = run_lider(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "LIDER_PRODUCTION": "true",
            "SECRET_KEY": "a-long-random-production-key-" + "x7Qp2" * 10,
            "ALLOWED_HOSTS": "lider.example.org",
            "LIDER_DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = {"LIDER_PRODUCTION": "true", "ALLOWED_HOSTS": "x.org", "LIDER_DATA_DIR": str(tmp_path)}
    result = run_lider("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_malformed_boolean_fails_loudly(tmp_path):
    result = run_lider("check", env={"DEBUG": "maybe", "LIDER_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_mail_can_be_written_to_files(tmp_path):
    """A trial install without SMTP (and the empty-install browser test) reads its mail there."""
    folder = tmp_path / "mail"
    code = (
        "from django.core.mail import send_mail; "
        "send_mail('Temat', 'Treść', None, ['osoba@example.org'])"
    )
    result = run_lider(
        "shell",
        "-c",
        code,
        env={
            "LIDER_DATA_DIR": str(tmp_path),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(folder),
        },
    )
    assert result.returncode == 0, result.stderr
    [sent] = folder.glob("*.log")
    assert "osoba@example.org" in sent.read_text()
