#!/bin/sh
wget -q -O- http://localhost:8080/healthz >/dev/null
