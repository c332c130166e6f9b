"""resume-from-checkpoint: see rust/src/scenarios/resume_from_checkpoint.rs."""

from typing import List

from support import CONNECTION, INTEGRATION, PARAMS, Emulator, Mulberry32, Tally, cursor_key, ensure, walk


def pick(rng: Mulberry32, pool: List[str], n: int) -> List[str]:
    pool = list(pool)
    out: List[str] = []
    while len(out) < n and pool:
        i = rng.below(len(pool))
        out.append(pool[i])
        pool[i] = pool[-1]
        pool.pop()
    return out


def test_resume_from_checkpoint(emu: Emulator, tally: Tally) -> None:
    p = PARAMS["resume"]
    client = emu.client()
    first = walk(client, stop_after=p["stop_after"], model=p["model"], limit=p["page_size"])
    ensure(not first.errors, f"errors before the stop: {first.errors}")
    checkpoint = first.checkpoint
    ensure(checkpoint is not None, "no checkpoint after the first walk")
    assert checkpoint is not None
    cp = cursor_key(checkpoint)
    covered = {r["id"] for r in first.records if cursor_key(r["cursor"]) <= cp}
    ensure(bool(covered), "the checkpoint covers no delivered record")
    tally.notes.append(f"stopped after {len(first.records)} records, checkpoint covers {len(covered)}")

    all_ids = {str(n) for n in range(1, p["records"] + 1)}
    before = sorted(covered)
    after = sorted(all_ids - covered)
    rng = Mulberry32(PARAMS["seed"] + 1)
    update_ids = pick(rng, before, p["update_before"]) + pick(rng, after, p["update_after"])
    delete_ids = pick(rng, [i for i in before if i not in update_ids], p["delete_before"]) + pick(
        rng, [i for i in after if i not in update_ids], p["delete_after"]
    )
    m = emu.admin(
        "POST",
        "/provider/mutate",
        {"integration": INTEGRATION, "model": p["model"], "add": p["add"], "update_ids": update_ids, "delete_ids": delete_ids},
    )
    added, updated, deleted = set(m["added"]), set(m["updated"]), set(m["deleted"])
    ensure(
        len(added) == p["add"] and len(updated) == len(update_ids) and len(deleted) == len(delete_ids),
        f"the emulator applied a different mutation: {m}",
    )
    emu.admin("POST", "/sync/run", {"provider_config_key": INTEGRATION, "connection_id": CONNECTION, "sync": p["sync"]})

    resumed = walk(client, model=p["model"], limit=p["page_size"], cursor=checkpoint)
    ensure(not resumed.errors, f"errors while resuming: {resumed.errors}")
    got: dict = {}
    for r in resumed.records:
        n, _ = got.get(r["id"], (0, ""))
        got[r["id"]] = (n + 1, r["action"])
    tally.records = len(first.records) + len(resumed.records)
    tally.inputs = len(added) + len(updated) + len(deleted)
    twice = [k for k, (n, _) in got.items() if n > 1]
    ensure(not twice, f"delivered twice after resuming: {twice}")
    redelivered = [i for i in covered if i in got and i not in updated and i not in deleted]
    ensure(not redelivered, f"unchanged records before the checkpoint came again: {redelivered[:20]}")
    expected = (all_ids - covered) | added | updated | deleted
    missing = sorted(expected - set(got))
    ensure(not missing, f"changes or unread records never delivered: {missing[:20]}")
    extra = sorted(set(got) - expected)
    ensure(not extra, f"unexpected records: {extra[:20]}")
    for ids, action in ((added, "ADDED"), (updated, "UPDATED"), (deleted, "DELETED")):
        wrong = [i for i in ids if got.get(i, (0, ""))[1] != action]
        ensure(not wrong, f"records without last_action {action}: {wrong}")
