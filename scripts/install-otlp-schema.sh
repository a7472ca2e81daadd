#!/usr/bin/env bash
# Installs the official OTLP protobuf schema (compiled to protobufjs by the OpenTelemetry JS
# project) into an isolated prefix for the test receiver. It lives outside the workspace because
# this old exporter-base would add a second, older copy of the SDK to the workspace's tree.
set -euo pipefail

cd "$(dirname "$0")/.."
PKG='@opentelemetry/otlp-proto-exporter-base'
VERSION='0.51.1'
PREFIX='.tools/otlp-schema'
ROOT_JS="$PREFIX/node_modules/$PKG/build/src/generated/root.js"
PKG_JSON="$PREFIX/node_modules/$PKG/package.json"

if [ -f "$ROOT_JS" ] && grep -q "\"version\": \"$VERSION\"" "$PKG_JSON" 2>/dev/null; then
  exit 0
fi

mkdir -p "$PREFIX"
npm install --prefix "$PREFIX" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$PKG@$VERSION"

if [ ! -f "$ROOT_JS" ]; then
  echo "install-otlp-schema: $PKG@$VERSION installed but $ROOT_JS is missing" >&2
  exit 1
fi
