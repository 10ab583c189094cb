# Sourced by .ci/run: makes node's SDK tests and the headless-Chromium tests runnable.
#
# Installs Debian's chromium with apt when no Chromium is on the PATH, and the SDK's npm
# devDependencies (typescript, esbuild, zego-zim-web for the type test) with npm ci.
# node itself is expected on the CI image (node 20+ with npm).

setup_browser() {
	local sudo=()
	[ "$(id -u)" = 0 ] || sudo=(sudo)
	if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null &&
		! command -v google-chrome >/dev/null && [ -z "${CHROMIUM:-}" ]; then
		echo "browser: installing chromium with apt-get"
		local apt_log
		apt_log=$(mktemp)
		if ! { "${sudo[@]}" apt-get update -qq &&
			"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$apt_log" 2>&1; then
			cat "$apt_log" >&2
			rm -f "$apt_log"
			return 1
		fi
		rm -f "$apt_log"
	fi
	if ! command -v node >/dev/null; then
		echo "browser: node is missing (the SDK tests need node 20+ and npm)" >&2
		return 1
	fi
	(cd gateway/sdk && npm ci --no-audit --no-fund --loglevel=error)
}
