"""Access decisions: Tutela's CedarDecisionPoint against a bare cedarpy call on the same requests.

The built-in policy packs (`policy_packs()`: core, then every installed domain) are loaded and
validated once, into one `CedarDecisionPoint`; that start-up is timed once, on its own, as
`policy_packs()` (reading the pack folders, importing the domain adapters) and the
`CedarDecisionPoint(...)` constructor (parsing the schema, checking and validating every policy
file, parsing the policy set). Importing Tutela is not counted (see startup.py).

Rows, all in one process, each Tutela row next to its baseline on the same request:

- single decisions: `pdp.decide(principal, "ask", DomainResource("acme", "healthcare", "phi"),
  RequestContext("TREAT"))` for a clinician (allowed by `healthcare.clinician.care`) and for
  billing staff (denied: `tutela.default-deny`, no policy permits billing to treat). The
  baseline is `cedarpy.is_authorized(request, policies, entities, schema)` for the same
  request, with a `cedarpy.PolicySet` and `cedarpy.Schema` parsed once from the same pack and
  schema texts and a `cedarpy.Entities` handle holding the same user and domain entities, parsed
  once before the clock starts: the engine alone. What Tutela adds per decision is its purpose
  check, building and serializing the entities, parsing them in the engine, and turning the
  engine's answer into a `Decision` (policy ids, obligations, severity, explanation).
- batch: `pdp.decide_many(clinician, "read", documents, RequestContext("TREAT"))` on `--size`
  (1,000) `DocumentResource`s of tenant "acme" (healthcare classes, ACL groups the clinician
  is in or not, some owned, a tenth of another domain and a twentieth of another tenant, so
  that permits and every kind of denial occur). Baseline: `cedarpy.is_authorized_batch` on the
  same requests with a pre-parsed `Entities` handle holding the same user and documents.
- document filter: `pdp.document_filter(clinician, "healthcare", RequestContext("TREAT"))`,
  which asks, in one engine call, about a probe document per declared data class and
  possible owner (nobody in particular, the principal, subjects its attributes name: two per
  class for this clinician). Baseline: `cedarpy.is_authorized_batch` on the same probe
  requests with pre-parsed entities.

Before timing, the script checks that each baseline gives the same answers (allowed or not,
and the same policy ids) as Tutela, and that its probes make the same classes readable as
`document_filter`. Latency rows run one call at a time in an order that rotates from one
iteration to the next, so that load on a shared machine hits every row alike; p50 and p95 of
the per-call times are reported, with Tutela's ratio to its baseline's p50 and p95 measured in
the same run. On a busy machine a call of a few milliseconds (a filter) is often pre-empted
for a scheduler slice (about 4 ms here), which makes its times bimodal and can move its p50 by
that much; the filter table therefore also shows the minimum. Throughput of single decisions:
the rows take turns in blocks of `BLOCK` calls (rotating order); decisions/s is calls over the
summed time of the row's blocks. Batches alternate Tutela-first and baseline-first; ms per
batch is the median (decisions/s and the ratio come from it), and the mean is shown too:
importing Tutela loads torch and transformers (about 460,000 objects on the heap), so the full
garbage collection that a `decide_many` of 1,000 triggers every eight or so batches takes
250-500 ms.

Target: a single decision (Tutela's `decide`) under 1 ms: PASS when its p95 is under 1 ms, for
both the allowed and the denied request.

Run it from the repository root:

    .venv/bin/python benchmarks/access.py
    .venv/bin/python benchmarks/access.py --quick
    .venv/bin/python benchmarks/access.py --runs 20000 --json /tmp/access.json
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import cedarpy
import machine

from tutela.domain import policy_packs
from tutela.governance.access.cedar_engine import (
    EVERYONE,
    SCHEMA_FILE,
    CedarDecisionPoint,
    _resource_entity,
    _user_entity,
)
from tutela.governance.access.decision import (
    Decision,
    DocumentResource,
    DomainResource,
    RequestContext,
    Resource,
)
from tutela.principal import Principal

TARGET_MS = 1.0
BLOCK = 500  # single decisions a row makes before the next row's turn
WARMUP = 200  # calls per row before anything is timed

TENANT = "acme"
CLINICIAN = Principal(
    id="dr-grey", tenant=TENANT, roles=frozenset({"clinician"}), groups=frozenset({"ward-3"})
)
BILLING = Principal(id="billing-1", tenant=TENANT, roles=frozenset({"billing"}))
DOMAIN = DomainResource(TENANT, "healthcare", "phi")
TREAT = RequestContext("TREAT")

ALLOWED, DENIED = "allowed", "denied"
CEDAR, TUTELA = "cedarpy", "tutela"


def percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def documents(count: int) -> list[DocumentResource]:
    """`count` documents with a fixed mix of classes, ACLs, owners, domains and tenants."""
    classes = ("phi", "clinical_narrative", "diagnosis_codes", "billing_record")
    acls = (frozenset({"ward-3"}), frozenset({EVERYONE}), frozenset({"ward-7"}))
    out = []
    for i in range(count):
        out.append(
            DocumentResource(
                id=f"doc-{i:05d}",
                tenant="globex" if i % 20 == 7 else TENANT,
                domain="finance" if i % 10 == 3 else "healthcare",
                data_class="clinical_guideline" if i % 10 == 5 else classes[i % 4],
                acl=acls[i % 3],
                owner=f"patient-{i % 97}" if i % 2 else None,
            )
        )
    return out


class Baseline:
    """The engine alone: cedarpy with its policies, schema and entities parsed once."""

    def __init__(self, pdp: CedarDecisionPoint) -> None:
        texts = [f.text for pack in pdp.packs for f in pack.policies]
        self.policies = cedarpy.PolicySet.from_str("\n".join(texts))
        self.schema = cedarpy.Schema.from_str(SCHEMA_FILE.read_text(encoding="utf-8"))

    def prepare(
        self,
        principal: Principal,
        action: str,
        resources: list[Resource],
        context: RequestContext,
    ) -> tuple[list[dict], cedarpy.Entities]:
        """The requests and entities Tutela's engine call would make, built with its helpers."""
        entities = [_user_entity(principal)]
        requests = []
        for i, resource in enumerate(resources):
            uid, entity = _resource_entity(i, resource)
            entities.append(entity)
            requests.append(
                {
                    "principal": {"type": "Tutela::User", "id": principal.id},
                    "action": {"type": "Tutela::Action", "id": action},
                    "resource": uid,
                    "context": {"purpose": context.purpose, "break_glass": False},
                }
            )
        return requests, cedarpy.Entities.from_json_str(json.dumps(entities))

    def single(self, principal: Principal, action: str, resource: Resource) -> Callable[[], bool]:
        requests, entities = self.prepare(principal, action, [resource], TREAT)
        request, policies, schema = requests[0], self.policies, self.schema
        return lambda: cedarpy.is_authorized(request, policies, entities, schema).allowed

    def batch(
        self, principal: Principal, action: str, resources: list[Resource]
    ) -> Callable[[], list[cedarpy.AuthzResult]]:
        requests, entities = self.prepare(principal, action, resources, TREAT)
        policies, schema = self.policies, self.schema
        return lambda: cedarpy.is_authorized_batch(requests, policies, entities, schema)


def probes(pdp: CedarDecisionPoint, principal: Principal, domain: str) -> list[Resource]:
    """The probe documents `document_filter` asks about, in its order: per data class, one
    owned by nobody in particular and one per subject the principal may stand for."""
    owners = [None, *sorted({principal.id, *principal.attributes.values()})]
    return [
        DocumentResource(
            id=f"probe-{c}-{n}",
            tenant=principal.tenant,
            domain=domain,
            data_class=c,
            acl=frozenset({EVERYONE}),
            owner=owner,
        )
        for c in pdp.vocabulary.data_classes
        for n, owner in enumerate(owners)
    ]


def answers(results: list[cedarpy.AuthzResult]) -> list[tuple[bool, tuple[str, ...]]]:
    """(allowed, sorted policy ids) per result, as Tutela reports them."""
    out = []
    for result in results:
        by_reason = result.diagnostics.id_annotations_by_reason
        reasons = tuple(sorted(by_reason.get(r, r) for r in result.diagnostics.reasons))
        out.append((result.allowed, reasons))
    return out


def tutela_answers(decisions: list[Decision]) -> list[tuple[bool, tuple[str, ...]]]:
    """The same, with Tutela's `tutela.default-deny` read as no policy id (as cedarpy has)."""
    return [
        (d.allowed, () if d.reasons == ("tutela.default-deny",) else d.reasons) for d in decisions
    ]


def check(name: str, tutela: list[Decision], base: list[cedarpy.AuthzResult]) -> None:
    if any(d.error for d in tutela) or any(r.diagnostics.errors for r in base):
        sys.exit(f"{name}: an engine error; nothing measured")
    if tutela_answers(tutela) != answers(base):
        sys.exit(f"{name}: Tutela and the bare engine disagree; nothing measured")


def rotations(rows: list[str], count: int) -> list[list[str]]:
    """Row orders rotating through `rows`, reversed every other full turn."""
    out = []
    for k in range(count):
        order = rows[k % len(rows) :] + rows[: k % len(rows)]
        if (k // len(rows)) % 2:
            order.reverse()
        out.append(order)
    return out


def measure_latency(calls: dict[str, Callable[[], object]], runs: int) -> dict[str, list[float]]:
    """Seconds per call, the rows one call each per iteration in a rotating order."""
    rows = list(calls)
    for _ in range(WARMUP):
        for row in rows:
            calls[row]()
    times: dict[str, list[float]] = {row: [] for row in rows}
    clock = time.perf_counter
    for order in rotations(rows, runs):
        for row in order:
            call = calls[row]
            start = clock()
            call()
            times[row].append(clock() - start)
    return times


def measure_rate(calls: dict[str, Callable[[], object]], blocks: int) -> dict[str, float]:
    """Calls per second, the rows taking turns in blocks of BLOCK calls."""
    rows = list(calls)
    total = dict.fromkeys(rows, 0.0)
    clock = time.perf_counter
    for order in rotations(rows, blocks):
        for row in order:
            call = calls[row]
            start = clock()
            for _ in range(BLOCK):
                call()
            total[row] += clock() - start
    return {row: blocks * BLOCK / total[row] for row in rows}


def latency_figures(times: list[float]) -> dict[str, float]:
    return {
        "p50_ms": percentile(times, 0.50) * 1e3,
        "p95_ms": percentile(times, 0.95) * 1e3,
        "mean_ms": statistics.mean(times) * 1e3,
        "min_ms": min(times) * 1e3,
    }


def measure_startup() -> dict[str, object]:
    start = time.perf_counter()
    packs = policy_packs()
    loaded = time.perf_counter()
    pdp = CedarDecisionPoint(packs)
    built = time.perf_counter()
    return {
        "pdp": pdp,
        "packs_ms": (loaded - start) * 1e3,
        "validate_ms": (built - loaded) * 1e3,
        "total_ms": (built - start) * 1e3,
        "packs": len(packs),
        "policies": len(pdp.policy_ids),
        "data_classes": len(pdp.vocabulary.data_classes),
    }


def single_section(pdp: CedarDecisionPoint, base: Baseline, args: argparse.Namespace) -> dict:
    tutela = {
        ALLOWED: lambda: pdp.decide(CLINICIAN, "ask", DOMAIN, TREAT),
        DENIED: lambda: pdp.decide(BILLING, "ask", DOMAIN, TREAT),
    }
    bare = {
        ALLOWED: base.single(CLINICIAN, "ask", DOMAIN),
        DENIED: base.single(BILLING, "ask", DOMAIN),
    }
    for case, principal in ((ALLOWED, CLINICIAN), (DENIED, BILLING)):
        requests, entities = base.prepare(principal, "ask", [DOMAIN], TREAT)
        result = cedarpy.is_authorized(requests[0], base.policies, entities, base.schema)
        decision = tutela[case]()
        check(f"single {case}", [decision], [result])
        if decision.allowed != (case == ALLOWED):
            sys.exit(f"single {case}: Tutela answered {decision.reasons}; nothing measured")
    calls = {
        f"{side} {case}": (bare if side == CEDAR else tutela)[case]
        for case in (ALLOWED, DENIED)
        for side in (CEDAR, TUTELA)
    }
    gc.collect()
    times = measure_latency(calls, args.runs)
    gc.collect()
    rates = measure_rate(calls, args.blocks)
    out = {}
    for row in calls:
        out[row] = {**latency_figures(times[row]), "per_s": rates[row]}
    for case in (ALLOWED, DENIED):
        t, b = out[f"{TUTELA} {case}"], out[f"{CEDAR} {case}"]
        t["p50_ratio"] = t["p50_ms"] / b["p50_ms"]
        t["p95_ratio"] = t["p95_ms"] / b["p95_ms"]
        t["rate_ratio"] = b["per_s"] / t["per_s"]
        t["pass"] = t["p95_ms"] < TARGET_MS
    return {"rows": out, "times": times, "reasons": {c: tutela[c]().reasons for c in tutela}}


def batch_section(pdp: CedarDecisionPoint, base: Baseline, args: argparse.Namespace) -> dict:
    docs = documents(args.size)
    bare = base.batch(CLINICIAN, "read", docs)
    decisions = pdp.decide_many(CLINICIAN, "read", docs, TREAT)
    check("batch", decisions, bare())
    calls = {CEDAR: bare, TUTELA: lambda: pdp.decide_many(CLINICIAN, "read", docs, TREAT)}
    for _ in range(2):
        for call in calls.values():
            call()
    gc.collect()
    times: dict[str, list[float]] = {CEDAR: [], TUTELA: []}
    for k in range(args.batches):
        for row in (CEDAR, TUTELA) if k % 2 else (TUTELA, CEDAR):
            start = time.perf_counter()
            calls[row]()
            times[row].append(time.perf_counter() - start)
    out = {}
    for row in calls:
        median = statistics.median(times[row])
        out[row] = {
            "ms": median * 1e3,
            "p95_ms": percentile(times[row], 0.95) * 1e3,
            "mean_ms": statistics.mean(times[row]) * 1e3,
            "per_s": args.size / median,
            "us_per_decision": median / args.size * 1e6,
        }
    out[TUTELA]["ratio"] = out[TUTELA]["ms"] / out[CEDAR]["ms"]
    allowed = sum(d.allowed for d in decisions)
    reasons: dict[str, int] = {}
    for d in decisions:
        for r in d.reasons if not d.allowed else ():
            reasons[r] = reasons.get(r, 0) + 1
    return {"rows": out, "times": times, "allowed": allowed, "denied_by": reasons}


def filter_section(pdp: CedarDecisionPoint, base: Baseline, args: argparse.Namespace) -> dict:
    probe = probes(pdp, CLINICIAN, "healthcare")
    bare = base.batch(CLINICIAN, "read", probe)
    check("filter", pdp.decide_many(CLINICIAN, "read", probe, TREAT), bare())
    calls = {CEDAR: bare, TUTELA: lambda: pdp.document_filter(CLINICIAN, "healthcare", TREAT)}
    gc.collect()
    times = measure_latency(calls, args.filters)
    out = {row: latency_figures(times[row]) for row in calls}
    for key in ("min", "p50", "p95"):
        out[TUTELA][f"{key}_ratio"] = out[TUTELA][f"{key}_ms"] / out[CEDAR][f"{key}_ms"]
    readable = {
        c: None if owners is None else sorted(owners)
        for c, owners in pdp.document_filter(CLINICIAN, "healthcare", TREAT).data_classes.items()
    }
    # The probes must be the filter's own: the classes the bare answers make readable must match.
    per_class = len(probe) // len(pdp.vocabulary.data_classes)
    pairs = list(zip(probe, (r.allowed for r in bare()), strict=True))
    expected = {}
    for i, c in enumerate(pdp.vocabulary.data_classes):
        chunk = pairs[i * per_class : (i + 1) * per_class]
        owners = sorted(d.owner for d, ok in chunk if ok and d.owner is not None)
        if chunk[0][1]:
            expected[c] = None
        elif owners:
            expected[c] = owners
    if expected != readable:
        sys.exit("filter: the probes differ from document_filter's; nothing reported")
    return {"rows": out, "times": times, "probes": len(probe), "readable": readable}


def print_report(startup: dict, single: dict, batch: dict, filt: dict, size: int) -> None:
    print(
        f"\nstart-up (once, imports not counted): policy_packs() "
        f"{startup['packs_ms']:.1f} ms; CedarDecisionPoint() {startup['validate_ms']:.1f} ms; "
        f"total {startup['total_ms']:.1f} ms ({startup['packs']} packs, "
        f"{startup['policies']} policies, {startup['data_classes']} data classes)"
    )
    print(f"\nsingle decisions (ask, healthcare, TREAT); target: Tutela's p95 under {TARGET_MS} ms")
    header = (
        f"{'row':<18}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}{'decisions/s':>13}"
        f"{'p50 x':>7}{'p95 x':>7}{'rate x':>8}  verdict"
    )
    print(header)
    print("-" * len(header))
    for row, f in single["rows"].items():
        ratios, mark = "", ""
        if row.startswith(TUTELA):
            ratios = f"{f['p50_ratio']:>7.2f}{f['p95_ratio']:>7.2f}{f['rate_ratio']:>8.2f}"
            mark = "PASS" if f["pass"] else "FAIL"
        else:
            ratios = f"{1:>7.2f}{1:>7.2f}{1:>8.2f}"
        print(
            f"{row:<18}{f['p50_ms']:>9.3f}{f['p95_ms']:>9.3f}{f['mean_ms']:>9.3f}"
            f"{f['per_s']:>13,.0f}{ratios}  {mark}"
        )
    print(f"  reasons: {single['reasons']}")
    b = batch["rows"]
    print(f"\nbatch: {size} documents read by one clinician (decide_many)")
    header = (
        f"{'row':<18}{'ms/batch':>10}{'p95 ms':>9}{'mean ms':>9}{'decisions/s':>13}"
        f"{'us/decision':>13}{'x':>7}"
    )
    print(header)
    print("-" * len(header))
    for row in (CEDAR, TUTELA):
        ratio = b[TUTELA]["ratio"] if row == TUTELA else 1.0
        print(
            f"{row:<18}{b[row]['ms']:>10.2f}{b[row]['p95_ms']:>9.2f}{b[row]['mean_ms']:>9.2f}"
            f"{b[row]['per_s']:>13,.0f}"
            f"{b[row]['us_per_decision']:>13.1f}{ratio:>7.2f}"
        )
    print(f"  allowed {batch['allowed']} of {size}; denied by {batch['denied_by']}")
    f = filt["rows"]
    print(f"\ndocument_filter (healthcare, {filt['probes']} probe documents in one engine call)")
    header = (
        f"{'row':<18}{'min ms':>9}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}{'min x':>7}"
        f"{'p50 x':>7}{'p95 x':>7}"
    )
    print(header)
    print("-" * len(header))
    for row in (CEDAR, TUTELA):
        ratios = (
            f"{f[TUTELA]['min_ratio']:>7.2f}{f[TUTELA]['p50_ratio']:>7.2f}"
            f"{f[TUTELA]['p95_ratio']:>7.2f}"
            if row == TUTELA
            else f"{1:>7.2f}{1:>7.2f}{1:>7.2f}"
        )
        print(
            f"{row:<18}{f[row]['min_ms']:>9.3f}{f[row]['p50_ms']:>9.3f}{f[row]['p95_ms']:>9.3f}"
            f"{f[row]['mean_ms']:>9.3f}{ratios}"
        )
    print(f"  readable classes: {len(filt['readable'])} ({', '.join(sorted(filt['readable']))})")
    verdicts = [single["rows"][f"{TUTELA} {c}"]["pass"] for c in (ALLOWED, DENIED)]
    print(
        f"\ntarget (a single decision under {TARGET_MS} ms at p95): "
        f"{'holds' if all(verdicts) else 'does NOT hold'}"
    )
    print(
        "x: Tutela's time over the bare engine's on the same requests (rate x: the bare "
        "engine's decisions/s over Tutela's)"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=5000, help="timed single decisions per row (5000)"
    )
    parser.add_argument(
        "--blocks", type=int, default=10, help=f"throughput blocks of {BLOCK} calls per row (10)"
    )
    parser.add_argument("--size", type=int, default=1000, help="documents per batch (1000)")
    parser.add_argument("--batches", type=int, default=40, help="timed batches per row (40)")
    parser.add_argument("--filters", type=int, default=2000, help="timed filters per row (2000)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a short run: 500 runs, 2 blocks, 5 batches, 200 filters",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.blocks, args.batches, args.filters = 500, 2, 5, 200
    if min(args.runs, args.batches, args.filters) < 2 or min(args.blocks, args.size) < 1:
        parser.error("--runs, --batches and --filters must be at least 2, the others at least 1")
    return args


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    startup = measure_startup()
    pdp = startup.pop("pdp")
    env = machine.environment(("tutela", "cedarpy"))
    print(
        f"{env['cpu']}, {env['cpus']} CPUs, {env['memory_gib']} GiB; Python {env['python']}; "
        f"{env['versions']}"
    )
    print(
        f"{args.runs} single decisions per row (+{args.blocks} x {BLOCK} for decisions/s), "
        f"{args.batches} batches of {args.size}, {args.filters} filters; single thread"
        + (" (--quick)" if args.quick else "")
    )
    load_before = os.getloadavg()
    base = Baseline(pdp)
    print("measuring single decisions ...", flush=True)
    single = single_section(pdp, base, args)
    print("measuring batches ...", flush=True)
    batch = batch_section(pdp, base, args)
    print("measuring document filters ...", flush=True)
    filt = filter_section(pdp, base, args)
    load_after = os.getloadavg()
    print_report(startup, single, batch, filt, args.size)
    print(f"load average (1, 5, 15 min) before {load_before}, after {load_after}")
    print(f"total {time.perf_counter() - started:.0f} s")
    if args.json:
        report = {
            "environment": env,
            "command": sys.argv,
            "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "target_ms": TARGET_MS,
            "load_average": {"before": load_before, "after": load_after},
            "startup": startup,
            "single": {**single["rows"], "reasons": single["reasons"]},
            "batch": {k: v for k, v in batch.items() if k != "times"},
            "filter": {k: v for k, v in filt.items() if k != "times"},
            "times_s": {
                "single": single["times"],
                "batch": batch["times"],
                "filter": filt["times"],
            },
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
