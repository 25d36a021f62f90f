# Wenzhi: the few verbs people type. `make run` and `make test` need nothing but Python 3.11+ (npm, where
# present, fetches the chart and htmx assets from the npm registry at install time).
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-stamp

.PHONY: install assets fonts run test test-browser lint bench clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

node_modules/.assets-stamp: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: charts and htmx will be missing until npm is installed"; fi

install: $(STAMP)

# The PDF/chart CJK font (Source Han Sans SC, SIL OFL) comes whole from npm; only the two weights used are
# copied, to the folder settings.WENZHI_FONT_DIR reads (var/fonts unless WENZHI_FONT_DIR says otherwise).
# Once, fontTools then cuts from them the reduced TrueType fonts (GB 2312 + punctuation) that keep PDFs fast on
# machines without libharfbuzz-subset (core/documents/fontbuild.py; a few minutes, skipped when up to date).
FONT_DIR ?= $(or $(WENZHI_FONT_DIR),var/fonts)
FONT_SRC = node_modules/node-source-han-sans-sc
fonts: $(STAMP) node_modules/.assets-stamp
	@if [ -f $(FONT_SRC)/SourceHanSansSC-Regular.otf ]; then mkdir -p $(FONT_DIR) && \
	for w in Regular Bold; do test -f $(FONT_DIR)/SourceHanSansSC-$$w.otf || cp $(FONT_SRC)/SourceHanSansSC-$$w.otf $(FONT_DIR)/; done && \
	$(BIN)/python -m wenzhi.core.documents.fontbuild $(FONT_DIR) $(FONT_DIR); \
	else echo "CJK font not installed (needs npm): PDF output and its tests will be unavailable"; fi

assets: node_modules/.assets-stamp fonts

run: install assets
	$(BIN)/wenzhi setup
	$(BIN)/wenzhi collectstatic --noinput -v0
	$(BIN)/wenzhi serve

test: install assets
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src bench
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=wenzhi.config.settings.test $(BIN)/wenzhi makemigrations --check --dry-run

# Page latency needs a database with the demo registry: `make run` once (or `wenzhi setup`) first.
bench: install assets
	$(BIN)/python bench/page_latency.py
	$(BIN)/python bench/nlp_text.py
	$(BIN)/python bench/nlp_throughput.py

clean:
	rm -rf $(VENV) node_modules var
