# The two commands of the README: `make run` and `make test`. Everything else is a step of theirs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)

.PHONY: install run test lint format stop services messages bench clean-devdata backup restore

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: install
	$(PY) -m marketplace.run

services: install
	$(PY) -m marketplace.devstack up

stop: install
	$(PY) -m marketplace.devstack down

# A consistent pg_dump of DATABASE_URL (or of the dev stack) into .devdata/backups/ (FILE=... chooses the file).
backup: install
	$(PY) -m marketplace.backup backup $(if $(FILE),--output $(FILE))

# make restore FILE=.devdata/backups/x.dump  [DATABASE_URL=...]: objects in the dump are replaced, in one transaction.
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=path/to/backup.dump"; exit 2; }
	$(PY) -m marketplace.backup restore $(FILE)

test: install
	bash scripts/ensure-browser.sh
	DEVSTACK_AUTOSTART=0 $(PY) manage.py compile_catalogs
	$(PY) -m marketplace.devstack exec -- $(PY) -m pytest $(PYTEST_ARGS)
	$(MAKE) lint

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Developers only: needs GNU gettext (xgettext) to extract strings; compiling needs nothing.
messages: install
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore '.venv/*' --ignore '.devdata/*' --ignore 'tests/*' --ignore 'bench/*'
	$(PY) scripts/translate.py locale/zh_Hans/LC_MESSAGES/django.po scripts/zh_hans
	DEVSTACK_AUTOSTART=0 $(PY) manage.py compile_catalogs
