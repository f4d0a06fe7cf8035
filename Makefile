# `make run` and `make test` each set up .venv when needed; nothing else is required.
PY ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench lint fonts syncthing clean

$(VPY):
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(VPY)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -e '.[test]'
	@$(MAKE) --no-print-directory fonts
	@$(MAKE) --no-print-directory syncthing
	@touch $(STAMP)

# HarfBuzz's subsetter makes WeasyPrint's font subsetting about 3x faster; optional.
fonts:
	@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
	   ! ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset; then \
	  (apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1 || \
	   (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1)) || \
	  echo "note: libharfbuzz-subset0 not installed; PDF export works, a little slower"; \
	fi

# Syncthing, for the test that moves a team folder between two instances on 127.0.0.1;
# optional: without it that test says it was skipped.
syncthing:
	@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
	   ! command -v syncthing >/dev/null 2>&1; then \
	  (apt-get install -y -qq syncthing >/dev/null 2>&1 || \
	   (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq syncthing >/dev/null 2>&1)) || \
	  echo "note: syncthing not installed; the Syncthing integration test will be skipped"; \
	fi

run: $(STAMP)
	$(VENV)/bin/observe

test: $(STAMP)
	$(VPY) -m ruff check observe tests bench
	$(VPY) -m pytest -n 2 -q

bench: $(STAMP)
	$(VPY) -m bench

lint: $(STAMP)
	$(VPY) -m ruff check observe tests bench
	$(VPY) -m ruff format --check observe tests bench

clean:
	rm -rf $(VENV) .observe .pytest_cache
