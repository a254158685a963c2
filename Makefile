# Trygg: `make run` serves the demo, `make test` lints the code (ruff) and runs every test.
PYTHON ?= python3
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export FLASK_APP := webapp

.PHONY: run test install chromium pdf bench bench-municipality crash clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

instance/secret_key:
	mkdir -p instance
	$(PYTHON) -c "import secrets; print(secrets.token_hex(32))" > $@
	chmod 600 $@

# Serves plain HTTP on loopback, so the session cookie cannot be Secure here. `make run PORT=8000`
# serves on another port.
run: $(STAMP) instance/secret_key pdf
	FLASK_SECRET_KEY=$$(cat instance/secret_key) $(BIN)/flask migrate
	FLASK_SECRET_KEY=$$(cat instance/secret_key) $(BIN)/flask seed-demo --if-missing
	$(BIN)/python -m whitenoise.compress --quiet static
	@echo "Trygg: http://127.0.0.1:$(PORT)"
	FLASK_SECRET_KEY=$$(cat instance/secret_key) FLASK_SESSION_COOKIE_SECURE=false \
	  FLASK_REMEMBER_COOKIE_SECURE=false FLASK_HSTS=false \
	  $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core; }

# WeasyPrint (the archive's PDF/A copies) draws with Debian's Pango, and embeds the DejaVu fonts
pdf:
	@{ ldconfig -p | grep -q libpangoft2-1.0 && fc-list | grep -qi dejavu; } || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
	    libharfbuzz-subset0 fonts-dejavu-core; }

test: $(STAMP) chromium pdf
	$(BIN)/ruff check webapp tests bench
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

# a municipality on one machine (issue 21): 40 schools at 10,000 and 1,000,000 observations, the burst
# at the end of a long break, sustained saves; some 15 minutes on 2 CPUs, most of it building
bench-municipality: $(STAMP)
	$(BIN)/python bench/municipality.py

# 200 trials of kill -9 under write load; every acknowledged record must survive each
crash: $(STAMP)
	$(BIN)/python bench/crash.py --trials 200

clean:
	rm -rf $(VENV) build *.egg-info
