"""What a command's start-up loads (issue 11.9): django.setup() without ninja or pydantic, which only
the API needs (ninja's files by path in settings, the lazily built early routes of ``fieldday``)."""

import subprocess
import sys

SCRIPT = (
    "import os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'kawaltps.settings'); "
    "import django; django.setup(); "
    "from django.core.management import load_command_class; load_command_class('kawaltps.recap', 'discrepancies'); "
    "print(' '.join(m for m in ('ninja', 'pydantic') if m in sys.modules))"
)


def test_start_up_loads_neither_ninja_nor_pydantic():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_swagger_files_are_found_where_ninja_keeps_them():
    from django.contrib.staticfiles import finders
    from django.template.loader import get_template

    assert finders.find("ninja/swagger-ui-bundle.js")
    assert get_template("ninja/swagger.html")
