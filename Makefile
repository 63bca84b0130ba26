# Talk Health: `make run` to try it, `make test` to prove it. Nothing else needs installing first
# beyond Python 3.11+ and node/npm.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1:8000

.PHONY: install run test static migrate seed lint clean bytecode

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/dist/.built: node_modules/.installed $(wildcard static/src/*.scss)
	npm run --silent build
	touch $@

install: $(VENV)/.installed static/dist/.built

# Production runs its Python processes optimised (PYTHONOPTIMIZE=2 in the Procfile). Compile that
# bytecode once when deploying: a process that has to compile it as it starts keeps the memory that
# took, and with PYTHONDONTWRITEBYTECODE set every start would compile it again.
bytecode: $(VENV)/.installed
	$(PY) -m compileall -q -j 0 -o 2 talkhealth accounts forums programmes $(VENV)/lib

static: node_modules/.installed
	npm run --silent build
	touch static/dist/.built

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# The site and Celery beat side by side (Procfile.dev): embedded, beat runs each scheduled task in
# its own process, so scheduled updates publish and digests go with nothing else to install.
run: seed
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" HOST=$(HOST) SITE_URL=$${SITE_URL:-http://$(HOST)} \
		$(VENV)/bin/honcho -f Procfile.dev start

test: install
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest

clean:
	rm -rf $(VENV) node_modules static/dist var/staticfiles
