#!/bin/sh
set -eu
tar -czf "/backup/$(date +%Y%m%d).tgz" /data
