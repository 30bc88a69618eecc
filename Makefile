.PHONY: demo test lint bench messages
demo:
	./run demo
test:
	./run test
lint:
	./run lint
bench:
	./run bench
messages:
	cd verksam && export VERKSAM_ENV=development && ../.venv/bin/verksam makemessages -l sv --no-obsolete && ../.venv/bin/verksam compilemessages
