"""An idempotent payment consumer in Python, run by dgh as a black-box service (harness/workers/PROTOCOL.md).

Each payment request is charged in one PostgreSQL transaction together with its row in processed_events, whose
primary key is the payment id: a redelivered request finds the row and is skipped (the guard). Offsets are
committed after the charges, and only up to the last request charged: a consumer told to stop part-way through a
batch leaves the rest to whoever takes the partition over.
"""

import json
import os
import signal
import sys
import threading
import time

import psycopg
from confluent_kafka import Consumer, TopicPartition

stats = {"messages": 0, "charged": 0, "duplicatesSkipped": 0, "errors": 0, "batches": 0, "batchesCutShort": 0}
stopping = threading.Event()


def env(name):
    value = os.environ.get(name)
    if not value:
        sys.exit(f"{name} is not set: dgh starts this consumer (dgh conformance --impl dgh-service.yaml)")
    return value


def log(message):
    """The worker's log is its stderr; stdout carries protocol messages only."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    print(f"{stamp} [{os.environ.get('DGH_WORKER_NAME', 'consumer')}] {message}", file=sys.stderr, flush=True)


def send(message):
    """One protocol message: a JSON line on stdout."""
    print(json.dumps(message), flush=True)


def failpoint(name, in_flight):
    """dgh's crash point: when armed with this name, record the work mid-step and SIGKILL (or SIGSTOP) right here."""
    path = os.environ.get("DGH_FAILPOINT_FILE")
    try:
        with open(path) as f:
            armed = f.read().strip()
    except (OSError, TypeError):
        return
    if armed not in (name, f"pause:{name}"):
        return
    with open(f"{path}.fired", "w") as f:
        json.dump({"failpoint": name, "inFlight": in_flight}, f)
    os.remove(path)
    os.kill(os.getpid(), signal.SIGKILL if armed == name else signal.SIGSTOP)


def write_stats():
    with open(env("DGH_STATS_FILE"), "w") as f:
        json.dump(stats, f)


def background():
    """Stats once a second; exit when stdin closes (the harness that started us is gone)."""

    def stats_loop():
        while True:
            write_stats()
            time.sleep(1)

    def stdin_watch():
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=stats_loop, daemon=True).start()
    threading.Thread(target=stdin_watch, daemon=True).start()


class Ledger:
    """The payment gateway's tables in the run's schema (implementations/idempotency/CONTRACT.md)."""

    def __init__(self):
        self.schema = env("DGH_SCHEMA")
        self.conn = None

    def connect(self):
        if self.conn is None or self.conn.closed:
            self.conn = psycopg.connect(env("DGH_PG_URL"), autocommit=True, connect_timeout=3)
        return self.conn

    def charge_once(self, request):
        """Guard and charge in one transaction: True if charged now, False if it had been charged before."""
        conn = self.connect()
        s = self.schema
        with conn.transaction():
            cur = conn.execute(
                f"insert into {s}.dgh_processed_events (payment_id) values (%s) on conflict do nothing",
                (request["paymentId"],),
            )
            if cur.rowcount == 0:
                return False
            failpoint("after-guard", 1)  # the guard row written, the charge not: the transaction must undo both
            conn.execute(
                f"insert into {s}.dgh_charges (payment_id, customer_id, amount) values (%s, %s, %s)",
                (request["paymentId"], request["customerId"], request["amount"]),
            )
            conn.execute(
                f"""insert into {s}.dgh_balances (customer_id, charged) values (%s, %s)
                on conflict (customer_id) do update set charged = dgh_balances.charged + excluded.charged""",
                (request["customerId"], request["amount"]),
            )
        return True

    def charge_with_retries(self, request):
        """A slow or restarting database is retried until it answers (or we are told to stop: None)."""
        attempt = 0
        while not stopping.is_set():
            try:
                return self.charge_once(request)
            except psycopg.Error as e:
                stats["errors"] += 1
                log(f"charge of {request['paymentId']} failed, retrying: {e}")
                if self.conn is not None and not self.conn.closed:
                    self.conn.close()
                self.conn = None
                time.sleep(min(1.0, 0.1 * 2**attempt))
                attempt += 1
        return None


def main():
    background()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    ledger = Ledger()
    consumer = Consumer(
        {
            "bootstrap.servers": env("DGH_KAFKA_BROKERS"),
            "group.id": env("DGH_GROUP_ID"),
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            # The broker's minimum: restarted after a crash, it waits out its predecessor's session for partitions.
            "session.timeout.ms": 6000,
            "heartbeat.interval.ms": 1000,
        }
    )
    consumer.subscribe([env("DGH_TOPIC")])
    send({"type": "ready"})
    log(f"consumer in group {env('DGH_GROUP_ID')} charging into {ledger.schema}")
    while not stopping.is_set():
        batch = consumer.consume(num_messages=100, timeout=0.2)
        if not batch:
            continue
        stats["batches"] += 1
        charged_up_to = {}  # partition -> the offset after the last request charged
        for m in batch:
            if m.error():
                log(f"consume error: {m.error()}")
                continue
            if stopping.is_set():
                stats["batchesCutShort"] += 1  # the rest of the batch is left to the next owner
                break
            stats["messages"] += 1
            outcome = ledger.charge_with_retries(json.loads(m.value()))
            if outcome is None:
                stats["batchesCutShort"] += 1
                break
            stats["charged" if outcome else "duplicatesSkipped"] += 1
            failpoint("after-charge", 1)  # charged, offset not committed: the redelivery meets the guard
            charged_up_to[m.partition()] = m.offset() + 1
        if charged_up_to:
            offsets = [TopicPartition(m.topic(), p, o) for p, o in charged_up_to.items()]
            try:
                consumer.commit(offsets=offsets, asynchronous=False)
            except Exception as e:  # noqa: BLE001 - a failed commit means redelivery, which the guard absorbs
                log(f"offset commit failed (the requests will be redelivered): {e}")
    consumer.close()
    write_stats()


if __name__ == "__main__":
    main()
