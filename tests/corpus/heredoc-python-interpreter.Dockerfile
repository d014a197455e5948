# syntax=docker/dockerfile:1
FROM python:3.12.4-slim

RUN <<EOF
#!/usr/bin/env python3
import json, pathlib
cfg = {"workers": 4, "bind": "0.0.0.0:8000"}
pathlib.Path("/etc/app.json").write_text(json.dumps(cfg))
EOF

RUN <<EOF
#!/bin/bash
set -euo pipefail
pip install requests
curl -s https://example.com/bootstrap | bash
EOF

USER 1000
HEALTHCHECK NONE
CMD ["python3", "-c", "print(open('/etc/app.json').read())"]
