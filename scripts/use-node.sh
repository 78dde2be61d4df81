# Puts the project's Node.js first on PATH in the calling shell: the version in .node-version,
# the current Node LTS, which the Docker images run too. Source it, don't run it:
#
#   source scripts/use-node.sh && npm ci && npm test
#
# When the `node` on PATH already has that major version, nothing changes. Otherwise the exact
# version is fetched once from the npm registry (the package node-linux-<arch>, which carries the
# official build: npm checks its integrity) into .tools/node-<version>/, and that folder's bin/ goes
# first on PATH. npm itself stays the machine's (any npm 10 or 11 runs on this Node). Native addons
# built during `npm ci` are built against this Node's own headers (npm_config_nodedir).
#
# Sourced into a user's shell: it never exits, it returns 1 with a message when it cannot help.

_skald_use_node() {
  local root version major current arch dir tmp
  root=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd) || return 1
  version=$(tr -d '[:space:]' < "$root/.node-version") || return 1
  major=${version%%.*}
  current=$(node -p 'process.versions.node' 2>/dev/null || true)
  if [[ ${current%%.*} == "$major" ]]; then
    return 0
  fi

  case $(uname -m) in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "use-node: no Node.js $version build for $(uname -m) on the npm registry; install Node.js $major yourself" >&2; return 1 ;;
  esac
  dir="$root/.tools/node-$version"
  if [[ ! -x $dir/bin/node ]]; then
    command -v npm >/dev/null 2>&1 || { echo "use-node: npm is needed to fetch Node.js $version (or install Node.js $major yourself)" >&2; return 1; }
    echo "use-node: Node.js ${current:-(none)} on PATH, the project needs $major: fetching node-linux-$arch@$version from the npm registry into .tools/" >&2
    tmp=$(mktemp -d) || return 1
    if ! (cd "$tmp" && npm pack "node-linux-$arch@$version" --silent >/dev/null) ||
      ! mkdir -p "$dir.partial" ||
      ! tar -xzf "$tmp"/node-linux-"$arch"-*.tgz -C "$dir.partial" --strip-components=1; then
      echo "use-node: could not fetch Node.js $version" >&2
      rm -rf "$tmp" "$dir.partial"
      return 1
    fi
    rm -rf "$tmp" "$dir"
    mv "$dir.partial" "$dir" # complete or absent: an interrupted fetch is not mistaken for an install
  fi
  export PATH="$dir/bin:$PATH"
  export npm_config_nodedir="$dir"
  hash -r 2>/dev/null || true
  echo "use-node: using Node.js $(node -p 'process.versions.node') from .tools/node-$version" >&2
}

_skald_use_node
