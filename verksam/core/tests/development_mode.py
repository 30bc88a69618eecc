"""pytest plugin, loaded with `-p` before Django reads its settings: the tests run in
development mode (verksam's default is production), as `./run test` says too, and
without the developer's `.env` file."""

import os

os.environ["VERKSAM_ENV"] = "development"
os.environ["VERKSAM_ENV_FILE"] = os.devnull
