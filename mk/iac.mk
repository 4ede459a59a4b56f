# [iac] The SAM template, validated offline, and `make deploy`.
#
# AWS SAM CLI and checkov pin dependencies that conflict with each other and with the project's
# (cfn-lint, boto3, jsonschema...), so each lives in its own virtualenv under .tools/. cfn-lint
# itself comes with the project's dev dependencies (.venv) and with SAM CLI (`sam validate --lint`).
# No Docker and no python3.12 are needed: sam/build/Makefile builds every function and the API's
# dependency layer (arm64 / CPython 3.12 wheels fetched by pip), see docs/DEPLOY.md.

.PHONY: iac-tools iac-validate iac-build deploy smoke

SAM_VERSION := 1.170.0
CHECKOV_VERSION := 3.3.30
TOOLS := .tools
SAM := $(TOOLS)/sam/bin/sam
CHECKOV := $(TOOLS)/checkov/bin/checkov
SAM_STAMP := $(TOOLS)/sam/.installed-$(SAM_VERSION)
CHECKOV_STAMP := $(TOOLS)/checkov/.installed-$(CHECKOV_VERSION)
TEMPLATE := sam/template.yaml
BUILT_TEMPLATE := .aws-sam/build/template.yaml
# sam validate translates locally but still wants a region; nothing here talks to AWS.
IAC_ENV := SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} AWS_REGION=$${AWS_REGION:-us-east-1}

$(SAM_STAMP):
	$(PYTHON) -m venv $(TOOLS)/sam
	$(TOOLS)/sam/bin/pip install -q --disable-pip-version-check aws-sam-cli==$(SAM_VERSION)
	@touch $@

$(CHECKOV_STAMP):
	$(PYTHON) -m venv $(TOOLS)/checkov
	$(TOOLS)/checkov/bin/pip install -q --disable-pip-version-check checkov==$(CHECKOV_VERSION)
	@touch $@

iac-tools: $(SAM_STAMP) $(CHECKOV_STAMP) ## install AWS SAM CLI and checkov into .tools/

# Build every function and the layer, then inline the flow files (scripts/render_flows.py).
define iac_build
	$(IAC_ENV) PYTHON=$(abspath $(BIN))/python $(SAM) build --template-file $(TEMPLATE)
	$(BIN)/python -m scripts.render_flows --source $(TEMPLATE) --built $(BUILT_TEMPLATE)
endef

iac-build: python-deps $(SAM_STAMP) ## sam build and inline the flows into the built template
	$(iac_build)

# The source template and the rendered one (what deploys) both pass cfn-lint through SAM's
# validator; checkov checks the source (SAM) template, every skip is justified in its Metadata.
iac-validate: python-deps iac-tools ## sam validate --lint (source and built template), sam build, checkov
	$(IAC_ENV) $(SAM) validate --lint --template-file $(TEMPLATE)
	$(iac_build)
	$(IAC_ENV) $(SAM) validate --lint --template-file $(BUILT_TEMPLATE)
	$(CHECKOV) --quiet --compact --skip-download --framework cloudformation --file $(TEMPLATE)

TEST_TARGETS += iac-validate

# tests/iac/test_sam_local.py reads the template with SAM CLI's own local API reader, so SAM CLI is
# installed before pytest runs (make test runs pytest before iac-validate; make check runs it too).
pytest check: $(SAM_STAMP)

# `make deploy` (stack and region from samconfig.toml), or e.g.
#   make deploy STACK=jam-prod REGION=us-west-2 DEPLOY_ARGS='--parameter-overrides Stage=prod PhoneNumberCountryCode=US'
# Build, deploy, then upload the site with its config.json, load the seed data and point the
# claimed number at the inbound flow (scripts/deploy_post.py).
STACK ?=
REGION ?=
DEPLOY_TARGET := $(if $(STACK),--stack-name $(STACK)) $(if $(REGION),--region $(REGION))
deploy: python-deps site iac-build ## deploy to AWS: make deploy STACK=jam-dev (docs/DEPLOY.md)
	SAM_CLI_TELEMETRY=0 $(SAM) deploy --config-file $(CURDIR)/samconfig.toml --template-file $(BUILT_TEMPLATE) $(DEPLOY_TARGET) $(DEPLOY_ARGS)
	$(BIN)/python -m scripts.deploy_post $(DEPLOY_TARGET)

# First-deploy smoke (scripts/smoke.py, docs/DEPLOY.md): flows published, hours through the real API
# URL, and with NUMBER= one click-to-call (the ID token comes from the environment: TOKEN=...).
#   make smoke [STACK=jam-prod] [REGION=us-west-2] [NUMBER=+12025550100 TOKEN=eyJ...]
NUMBER ?=
smoke: python-deps ## check a deployed stack: make smoke STACK=jam-dev [NUMBER=+1... TOKEN=<ID token>]
	$(BIN)/python -m scripts.smoke $(DEPLOY_TARGET) $(if $(NUMBER),--number $(NUMBER))
