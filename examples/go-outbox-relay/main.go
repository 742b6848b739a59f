// An outbox relay in Go, run by dgh as a black-box service (harness/workers/PROTOCOL.md): it claims unpublished
// rows of dgh's outbox table with FOR UPDATE SKIP LOCKED, publishes them with franz-go (idempotent producer,
// acks=all), then marks them in the same transaction. A crash between publish and mark publishes the rows again
// (at-least-once); rows of one order are claimed in id order by a single relay (per-key order).
//
// -mark-first is the broken variant CI runs to show dgh catches it: it marks the rows (and commits) before it
// publishes them, so a crash or a failed publish in between loses them.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/twmb/franz-go/pkg/kgo"
)

type row struct {
	id      int64
	eventID string
	key     string
	payload []byte
}

var stats = map[string]int64{"polls": 0, "published": 0, "errors": 0}

func main() {
	markFirst := flag.Bool("mark-first", false, "mark rows before publishing them (broken on purpose)")
	batch := flag.Int("batch", 100, "rows per poll")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go exitWhenHarnessGone()
	go writeStats()

	pool, err := pgxpool.New(ctx, env("DGH_PG_URL"))
	must(err)
	client, err := kgo.NewClient(
		kgo.SeedBrokers(strings.Split(env("DGH_KAFKA_BROKERS"), ",")...),
		kgo.RecordDeliveryTimeout(10*time.Second),         // fail a publish, so the transaction rolls back and retries
		kgo.ProducerBatchCompression(kgo.NoCompression()), // franz-go's default is snappy, which dgh's observer cannot read
	)
	must(err)
	defer client.Close()

	send(map[string]string{"type": "ready"})
	logf("relay (mark-first=%v) publishing %s to %s", *markFirst, env("DGH_OUTBOX_TABLE"), env("DGH_TOPIC"))
	for ctx.Err() == nil {
		n, err := poll(ctx, pool, client, *batch, *markFirst)
		if err != nil {
			stats["errors"]++
			logf("poll failed, will retry: %v", err)
			time.Sleep(200 * time.Millisecond)
		} else if n == 0 {
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// poll relays one batch: claim, publish, mark, commit (or with markFirst: claim, mark, commit, publish).
func poll(ctx context.Context, pool *pgxpool.Pool, client *kgo.Client, batch int, markFirst bool) (int, error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(context.Background())
	stats["polls"]++
	rows, err := claim(ctx, tx, batch)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	if markFirst {
		if err := mark(ctx, tx, rows); err != nil {
			return 0, err
		}
		if err := tx.Commit(ctx); err != nil {
			return 0, err
		}
		failpoint("after-mark", len(rows))
		if err := publish(ctx, client, rows); err != nil {
			return 0, err // the rows are marked: nobody will publish them again
		}
		stats["published"] += int64(len(rows))
		return len(rows), nil
	}
	if err := publish(ctx, client, rows); err != nil {
		return 0, err
	}
	failpoint("after-publish", len(rows))
	if err := mark(ctx, tx, rows); err != nil {
		return 0, err
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, err
	}
	failpoint("after-mark", len(rows))
	stats["published"] += int64(len(rows))
	return len(rows), nil
}

func claim(ctx context.Context, tx pgx.Tx, batch int) ([]row, error) {
	q := fmt.Sprintf(`select id, event_id, aggregateid, payload::text from %s where published_at is null
		order by id limit $1 for update skip locked`, env("DGH_OUTBOX_TABLE"))
	rs, err := tx.Query(ctx, q, batch)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rs, func(r pgx.CollectableRow) (row, error) {
		var x row
		var payload string
		err := r.Scan(&x.id, &x.eventID, &x.key, &payload)
		x.payload = []byte(payload)
		return x, err
	})
}

func mark(ctx context.Context, tx pgx.Tx, rows []row) error {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.id
	}
	q := fmt.Sprintf(`update %s set published_at = now() where id = any($1)`, env("DGH_OUTBOX_TABLE"))
	_, err := tx.Exec(ctx, q, ids)
	return err
}

// publish sends the rows in order and waits for every acknowledgement: key = order id, value = the event JSON.
func publish(ctx context.Context, client *kgo.Client, rows []row) error {
	records := make([]*kgo.Record, len(rows))
	for i, r := range rows {
		records[i] = &kgo.Record{
			Topic:   env("DGH_TOPIC"),
			Key:     []byte(r.key),
			Value:   r.payload,
			Headers: []kgo.RecordHeader{{Key: "id", Value: []byte(r.eventID)}},
		}
	}
	return client.ProduceSync(ctx, records...).FirstErr()
}

// failpoint is dgh's crash point: when the harness armed this name in $DGH_FAILPOINT_FILE, record how much work is
// mid-step and kill this process right here (SIGKILL: no cleanup), or stop it ("pause:<name>": SIGSTOP).
func failpoint(name string, inFlight int) {
	file := os.Getenv("DGH_FAILPOINT_FILE")
	armed, err := os.ReadFile(file)
	if file == "" || err != nil {
		return
	}
	sig := syscall.SIGKILL
	switch strings.TrimSpace(string(armed)) {
	case name:
	case "pause:" + name:
		sig = syscall.SIGSTOP
	default:
		return
	}
	fired, _ := json.Marshal(map[string]any{"failpoint": name, "inFlight": inFlight})
	_ = os.WriteFile(file+".fired", fired, 0o644)
	_ = os.Remove(file)
	_ = syscall.Kill(os.Getpid(), sig)
}

// send writes one protocol message to stdout, where the harness reads JSON lines.
func send(m any) {
	b, _ := json.Marshal(m)
	fmt.Println(string(b))
}

// logf writes to stderr, which the harness keeps as the worker's log.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s [%s] %s\n", time.Now().UTC().Format(time.RFC3339Nano), os.Getenv("DGH_WORKER_NAME"), fmt.Sprintf(format, args...))
}

// writeStats rewrites $DGH_STATS_FILE every second: the figures land in the run's report.
func writeStats() {
	for range time.Tick(time.Second) {
		b, _ := json.Marshal(stats)
		_ = os.WriteFile(os.Getenv("DGH_STATS_FILE"), b, 0o644)
	}
}

// exitWhenHarnessGone ends the relay when its stdin closes: the harness that started it is gone.
func exitWhenHarnessGone() {
	_, _ = bufio.NewReader(os.Stdin).ReadString(0)
	os.Exit(0)
}

func env(k string) string {
	v := os.Getenv(k)
	if v == "" {
		fmt.Fprintf(os.Stderr, "%s is not set: dgh starts this relay (dgh conformance --impl dgh-service.yaml)\n", k)
		os.Exit(2)
	}
	return v
}

func must(err error) {
	if err != nil {
		logf("%v", err)
		os.Exit(1)
	}
}
