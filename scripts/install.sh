#!/usr/bin/env bash
# Installs the real stack dgh runs against, without Docker, into .dgh/ (git-ignored):
#   PostgreSQL + Redis (apt), Kafka broker + Connect + Debezium (Maven Central jars),
#   Toxiproxy and the Temporal dev server (go install), node modules (npm ci, confluent client built from source), Chromium (apt, for the
#   report tests), and the examples in other languages (go build, a Python venv).
# Idempotent: each piece is skipped when its marker says it is present. Versions: versions.env.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
set -a; . ./versions.env; set +a
H=${DGH_HOME:-$ROOT/.dgh}
mkdir -p "$H/lib" "$H/bin" "$H/plugins" "$H/dl"
t0=$(date +%s)
step() { printf '[install] %s\n' "$*"; }
fail() { printf '[install] FAILED: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. PostgreSQL and Redis from Debian. No default cluster: the harness runs its own instances.
if [ -x "/usr/lib/postgresql/$POSTGRES_MAJOR/bin/postgres" ] && command -v redis-server >/dev/null \
   && dpkg -s libzstd-dev >/dev/null 2>&1; then
  step "postgresql $POSTGRES_MAJOR, redis: present"
else
  step "apt: postgresql-$POSTGRES_MAJOR redis-server build tools"
  as_root mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' | as_root tee /etc/postgresql-common/createcluster.d/dgh-no-main.conf >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || fail "apt-get update (is the Debian mirror reachable?)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$POSTGRES_MAJOR" redis-server \
    build-essential python3 python3-venv pkg-config libssl-dev zlib1g-dev libzstd-dev >/dev/null \
    || fail "apt-get install postgresql-$POSTGRES_MAJOR redis-server (see the apt output above)"
fi

# 2. Kafka broker and Connect worker jars.
# Maven's output goes to a log, shown only when it fails.
mvn_quiet() { local log="$H/dl/maven.log"; mvn -B -q "$@" >"$log" 2>&1 || { cat "$log" >&2; return 1; }; }
mvn_copy() { # pom outdir
  mvn_quiet -f "$1" "org.apache.maven.plugins:maven-dependency-plugin:$MAVEN_DEPENDENCY_PLUGIN:copy-dependencies" \
    -Dkafka.version="$KAFKA_VERSION" -Dscala.version="$SCALA_VERSION" -Dlog4j.version="$LOG4J_VERSION" \
    -DincludeScope=runtime -DoutputDirectory="$2"
}
install_jars() { # name pom check-class-jar-glob
  local name=$1 pom=$2 dir="$H/lib/$1-$KAFKA_VERSION"
  if [ -f "$dir/.ok" ]; then step "$name $KAFKA_VERSION jars: present"; return; fi
  step "maven: $name $KAFKA_VERSION jars"
  rm -rf "$dir.tmp"; mvn_copy "$pom" "$dir.tmp" || fail "maven could not resolve $name $KAFKA_VERSION (see above)"
  rm -rf "$dir"; mv "$dir.tmp" "$dir"; touch "$dir/.ok"
}
install_jars kafka harness/env/maven/kafka/pom.xml
python3 -c "import sys, zipfile; sys.exit('kafka/tools/StorageTool.class' not in zipfile.ZipFile(sys.argv[1]).namelist())" \
  "$H/lib/kafka-$KAFKA_VERSION/kafka_$SCALA_VERSION-$KAFKA_VERSION.jar" \
  || fail "kafka_$SCALA_VERSION-$KAFKA_VERSION.jar has no kafka.tools.StorageTool: the format step would not run"
install_jars connect harness/env/maven/connect/pom.xml

# 3. Debezium PostgreSQL connector (its plugin archive includes the Outbox Event Router).
DBZ="$H/plugins/debezium-$DEBEZIUM_VERSION"
if [ -f "$DBZ/.ok" ]; then step "debezium $DEBEZIUM_VERSION: present"; else
  step "maven: debezium-connector-postgres $DEBEZIUM_VERSION plugin archive"
  mvn_quiet "org.apache.maven.plugins:maven-dependency-plugin:$MAVEN_DEPENDENCY_PLUGIN:copy" \
    -Dartifact="io.debezium:debezium-connector-postgres:$DEBEZIUM_VERSION:tar.gz:plugin" -DoutputDirectory="$H/dl" \
    || fail "maven could not fetch io.debezium:debezium-connector-postgres:$DEBEZIUM_VERSION:tar.gz:plugin"
  rm -rf "$DBZ"; mkdir -p "$DBZ"
  tar -xzf "$H/dl/debezium-connector-postgres-$DEBEZIUM_VERSION-plugin.tar.gz" -C "$DBZ"
  ls "$DBZ"/debezium-connector-postgres/*.jar | grep -q connect-plugins \
    || step "note: no debezium-connect-plugins jar; EventRouter must come from debezium-core"
  touch "$DBZ/.ok"
fi

# 4. Toxiproxy server (the module's server main package is cmd/server).
TP="$H/bin/toxiproxy-server-$TOXIPROXY_VERSION"
if [ -x "$TP" ]; then step "toxiproxy $TOXIPROXY_VERSION: present"; else
  step "go install: toxiproxy $TOXIPROXY_VERSION"
  GOBIN="$H/dl/go" go install -ldflags="-s -w -X github.com/Shopify/toxiproxy/v2.Version=$TOXIPROXY_VERSION" \
    "github.com/Shopify/toxiproxy/v2/cmd/server@v$TOXIPROXY_VERSION" || fail "go install toxiproxy (is the Go module proxy reachable?)"
  mv "$H/dl/go/server" "$TP"
fi

# 4b. Temporal's development server (the saga pattern's orchestration-temporal): the Temporal CLI built from source
#     (its releases are binaries on GitHub, not reachable here). About 4 minutes on 2 cores the first time; the Go
#     build cache makes a rebuild ~15 s. v1.5.1: later versions replace a nested module go install cannot fetch.
TEMPORAL="$H/bin/temporal-$TEMPORAL_CLI_VERSION"
if [ -x "$TEMPORAL" ]; then step "temporal cli $TEMPORAL_CLI_VERSION: present"; else
  step "go install: temporal cli $TEMPORAL_CLI_VERSION (Temporal dev server; about 4 min on 2 cores the first time)"
  GOBIN="$H/dl/go" go install -ldflags="-s -w" "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION" \
    || fail "go install temporal cli (is the Go module proxy reachable?)"
  mv "$H/dl/go/temporal" "$TEMPORAL"
fi

# 5. Node modules. The confluent client has no reachable prebuilt binary here: build it against system libs.
export CKJS_LINKING=dynamic
if [ -f node_modules/.dgh-ok ] && [ node_modules/.dgh-ok -nt package-lock.json ] && \
   node -e "require('@confluentinc/kafka-javascript')" 2>/dev/null; then
  step "node modules: present"
else
  step "npm ci (builds librdkafka for @confluentinc/kafka-javascript: about 70 s on 2 cores)"
  npm ci --no-audit --no-fund --loglevel=error || fail "npm ci"
  node -e "require('@confluentinc/kafka-javascript')" || fail "@confluentinc/kafka-javascript did not build"
  touch node_modules/.dgh-ok
fi
# 6. Chromium from Debian: the report tests open every HTML report in a real browser (no download by the tests).
if [ -x /usr/bin/chromium ]; then step "chromium: present"; else
  step "apt: chromium (the report tests' browser)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || fail "apt-get update (is the Debian mirror reachable?)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || fail "apt-get install chromium (see the apt output above)"
fi

# 7. The black-box examples CI runs (examples/): a Go relay and a Python consumer, each built in its folder.
RELAY=examples/go-outbox-relay
if [ -x "$RELAY/relay" ] && [ -z "$(find "$RELAY" -name '*.go' -newer "$RELAY/relay" -o -name go.sum -newer "$RELAY/relay")" ]; then
  step "example go relay: present"
else
  step "go build: $RELAY"
  (cd "$RELAY" && go build -o relay .) || fail "go build $RELAY (is the Go module proxy reachable?)"
fi
CONSUMER=examples/python-idempotent-consumer
if [ -f "$CONSUMER/.venv/.dgh-ok" ] && [ "$CONSUMER/.venv/.dgh-ok" -nt "$CONSUMER/requirements.txt" ]; then
  step "example python consumer: present"
else
  step "python venv: $CONSUMER (confluent-kafka, psycopg)"
  rm -rf "$CONSUMER/.venv"
  python3 -m venv "$CONSUMER/.venv" || fail "python3 -m venv (Debian: apt install python3-venv)"
  "$CONSUMER/.venv/bin/pip" install -q -r "$CONSUMER/requirements.txt" || fail "pip install (is PyPI reachable?)"
  touch "$CONSUMER/.venv/.dgh-ok"
fi
step "done in $(( $(date +%s) - t0 )) s; stack in $H"
