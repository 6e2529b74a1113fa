# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
MVN ?= mvn -B -ntp

.PHONY: run test build services test-services check-deploy bench bench-scale clean

## Build, make sure ffmpeg/PostgreSQL/Redis are there, then run web + one worker (Ctrl-C stops both).
run: services build
	bash scripts/run-local.sh

## Everything CI checks: unit and system tests (real PostgreSQL, Redis, ffmpeg, SMTP, browser), then
## the static deployment checks.
test: test-services
	$(MVN) verify
	bash scripts/check-deploy.sh

build:
	$(MVN) -DskipTests package

services:
	bash scripts/ensure-services.sh

## The tests also need Chromium + ChromeDriver (page test), nginx (edge test), 7z/unzip (archives read
## back) and the encoders and archivers the real-files corpus is made with.
test-services:
	CCT_NEED_BROWSER=1 CCT_NEED_NGINX=1 CCT_NEED_ARCHIVERS=1 CCT_NEED_CORPUS_TOOLS=1 bash scripts/ensure-services.sh

## Speed and memory scenarios against a fresh stack; writes bench/results/latest.md and latest.json.
bench: services build
	bash scripts/bench.sh

## How far one PostgreSQL and one Redis carry the job system (no-op converter, 1/5/20 JobRunr servers,
## 1,000 and 5,000 event streams); writes bench/results/scale-latest.md and .json. See docs/scaling.md.
bench-scale: services
	bash scripts/bench-scale.sh

check-deploy:
	bash scripts/check-deploy.sh

clean:
	$(MVN) clean
