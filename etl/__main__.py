"""python -m etl {build, template, validate, load, sample, backup, restore, evidence, notify, user}

Exit status: 0 success; 2 bad input (every error listed, nothing changed); 1 anything else.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

import ops
from config import settings
from etl.build import BUILD_STEPS, BuildError, build, current_code_lists, sha256
from inputs import datasets as reg
from inputs.parsing import Issue, detect_dataset, parse_file

console = Console(stderr=True)
out = Console()


def _print_issues(issues, lang="th", limit=200) -> None:
    for issue in issues[:limit]:
        out.print(issue.format(lang), markup=False, highlight=False, soft_wrap=True)
    if len(issues) > limit:
        out.print(f"… และอีก {len(issues) - limit} รายการ / and {len(issues) - limit} more")
    out.print(f"พบข้อผิดพลาด {len(issues)} รายการ / {len(issues)} error(s)")


def _print_failures(failures) -> None:
    for name, df in failures:
        out.print(f"[bold red]check {name}[/]: {len(df)} row(s)")
        out.print(df.head(20).to_string(index=False), markup=False, highlight=False)


def run_build(quiet: bool = False, brief: bool = False, full: bool = False):
    """Build with a progress display and a summary table; ``brief`` (``make run``): a progress bar
    and three lines, the table written to ``build.log`` beside the warehouse. ``full``: every
    fiscal year computed, none carried over from the snapshot being served."""
    columns = [SpinnerColumn(), TextColumn("{task.description}")]
    if brief:
        columns += [BarColumn(), TextColumn("{task.completed}/{task.total}")]
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True, disable=quiet) as progress:
        total = BUILD_STEPS + settings.prerender
        task = progress.add_task("สร้างคลังข้อมูล / building", total=total if brief else None)

        def step(msg: str) -> None:
            progress.update(task, description=msg, advance=1 if brief else 0)

        result = build(progress=step, full=full)
    if quiet:
        return result
    table = Table(title=f"snapshot {result.version}  ({result.seconds:.2f} s)")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in result.tables.items():
        table.add_row(name, f"{rows:,}")
    notes = [
        f"{name}: แทนที่ {n:,} แถวด้วยข้อมูลที่นำเข้าภายหลัง / {n:,} row(s) replaced by a later file"
        for name, n in result.superseded.items()
    ]
    if result.carried_before is not None:
        notes.append(
            f"ปีงบประมาณก่อน {result.carried_before} ใช้ผลเดิมจากคลังข้อมูลชุดก่อน (ข้อมูลไม่เปลี่ยน) / fiscal years before "
            f"{result.carried_before} carried over from the previous snapshot (their inputs unchanged); --full computes every year"
        )
    if brief:
        log = result.warehouse.parent / "build.log"
        with log.open("w", encoding="utf-8") as f:
            Console(file=f, width=120).print(table, *notes)
        out.print(f"[green]สร้างคลังข้อมูลสำเร็จ / built[/] snapshot {result.version} ใน / in {result.seconds:.1f} s")
        out.print(
            f"{len(result.tables)} ตาราง / tables, {sum(result.tables.values()):,} แถว / rows, ผ่านการตรวจสอบทุกข้อ / every check passed"
        )
        out.print(f"รายละเอียด / details: {_shown(log)}")
        return result
    out.print(table)
    for note in notes:
        out.print(note)
    out.print(f"[green]สร้างคลังข้อมูลสำเร็จ / built[/] {result.warehouse}")
    return result


def _shown(path: Path) -> str:
    """A path as a reader of the console wants it: relative to where they stand, when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def cmd_build(args) -> int:
    try:
        run_build(args.quiet, getattr(args, "brief", False), getattr(args, "full", False))
    except BuildError as e:
        out.print(
            f"[bold red]สร้างคลังข้อมูลไม่สำเร็จ คลังเดิมไม่เปลี่ยนแปลง / build failed, the current snapshot is unchanged:[/] {e}"
        )
        _print_issues(e.issues) if e.issues else None
        _print_failures(e.failures)
        return 2
    return 0


def cmd_template(args) -> int:
    from inputs.template import write_template

    if args.dataset not in reg.TEMPLATED:
        out.print(f"ไม่รู้จักชุดข้อมูล / unknown dataset '{args.dataset}'. เลือกจาก / choose from: {', '.join(reg.TEMPLATED)}")
        return 2
    path = write_template(
        args.dataset, Path(args.output), code_lists=current_code_lists(settings.warehouse, settings.data_dir)
    )
    out.print(f"เขียนแบบฟอร์ม / wrote {path}")
    return 0


def _parse(path: Path, dataset: str | None):
    if dataset and dataset not in reg.DATASETS:
        out.print(f"ไม่รู้จักชุดข้อมูล / unknown dataset '{dataset}'")
        return None
    dataset = dataset or detect_dataset(path)
    lists = current_code_lists(settings.warehouse, settings.data_dir)
    return parse_file(path, dataset=dataset, code_lists=lists)


def cmd_validate(args) -> int:
    """Everything ``load`` would check, nothing kept: the file's rules, then the build's checks
    on a dry run into a temporary folder (``etl.build.dry_run``)."""
    from etl.build import dry_run

    res = _parse(Path(args.file), args.dataset)
    if res is None:
        return 2
    if res.errors:
        _print_issues(res.errors, args.lang)
        return 2
    issues = dry_run(Path(args.file), res.dataset.name)
    if issues:
        _print_issues(issues, args.lang)
        return 2
    out.print(f"ผ่านการตรวจสอบ / valid: {res.file} ({res.dataset.name}, {len(res.frame)} แถว / rows)")
    return 0


def _out_of_scope(eng, username: str, res) -> list[Issue]:
    """The rows of a parsed file that account ``username`` may not enter (ops/scope.py), as issues
    naming file, row and column; an unknown or disabled account refuses the whole file."""
    import db
    from ops import scope
    from ops.workflow import Actor
    from web import auth

    account = next(iter(auth.accounts(eng, username)), None)
    if account is None or not account.get("active", True):
        return [
            Issue(res.file, None, None, None, username, "ไม่มีบัญชีนี้หรือบัญชีถูกระงับ", "no such account, or it is disabled")
        ]
    if not db.available():
        return [Issue(res.file, None, None, None, None, "ยังไม่มีคลังข้อมูล", "there is no warehouse yet: build it first")]
    who = Actor(account["username"], account["role"], account.get("unit"), account.get("area_code"))
    catalogue = scope.Catalogue.from_rows(db.query("entry/scope").itertuples(index=False))
    ds = res.dataset
    return [
        Issue(res.file, None, row, ds.column(col).th if col else None, None, th, en)
        for row, col, th, en in scope.frame_problems(who, ds.name, res.frame.to_dict("records"), catalogue)
    ]


def cmd_load(args) -> int:
    path = Path(args.file)
    eng = ops.engine()
    digest = sha256(path) if path.is_file() else "-"
    res = _parse(path, args.dataset)
    if res is None or res.errors:
        if res is not None:
            _print_issues(res.errors, args.lang)
        ops.record_load(
            eng,
            file_name=path.name,
            dataset=args.dataset,
            sha256=digest,
            rows=None,
            result="rejected",
            message=f"{len(res.errors) if res else 0} error(s)",
        )
        out.print("ไม่ได้นำเข้า คลังข้อมูลไม่เปลี่ยนแปลง / not loaded, nothing changed")
        return 2
    name = res.dataset.name
    loaded_by = settings.user
    if args.as_user:  # on behalf of an account: its scope, row by row (ops/scope.py, RULES.md s. 12)
        refused = _out_of_scope(eng, args.as_user, res)
        if refused:
            _print_issues(refused, args.lang)
            ops.record_load(
                eng,
                file_name=path.name,
                dataset=name,
                sha256=digest,
                rows=None,
                result="rejected",
                message=f"{len(refused)} row(s) outside the scope of {args.as_user}",
                loaded_by=args.as_user,
            )
            out.print("ไม่ได้นำเข้า คลังข้อมูลไม่เปลี่ยนแปลง / not loaded, nothing changed")
            return 2
        loaded_by = args.as_user
    inbox = settings.data_dir / "incoming" / name
    if inbox.is_dir() and any(p.name.split("_")[1:2] == [digest[:12]] for p in inbox.iterdir()):
        out.print(f"ไฟล์นี้เคยนำเข้าแล้ว / this exact file was already loaded ({digest[:12]})")
        return 2
    inbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    stored = inbox / f"{stamp}_{digest[:12]}_{path.name}"
    shutil.copyfile(path, stored)
    load_id = ops.record_load(
        eng,
        file_name=path.name,
        stored_path=str(stored),
        dataset=name,
        sha256=digest,
        rows=len(res.frame),
        result="accepted",
        loaded_by=loaded_by,
    )
    try:
        result = run_build(args.quiet)
    except BuildError as e:
        stored.unlink()
        ops.update_load(eng, load_id, result="build-failed", stored_path=None, message=str(e))
        out.print(f"[bold red]นำเข้าไม่สำเร็จ คลังเดิมไม่เปลี่ยนแปลง / load failed, nothing changed:[/] {e}")
        _print_issues(e.issues) if e.issues else None
        _print_failures(e.failures)
        return 2
    except BaseException:
        stored.unlink(missing_ok=True)
        ops.update_load(eng, load_id, result="build-failed", stored_path=None, message="interrupted")
        raise
    ops.update_load(eng, load_id, snapshot=result.version)
    out.print(f"[green]นำเข้าแล้ว / loaded[/] {path.name}: {len(res.frame)} แถว / rows → {result.version}")
    return 0


def cmd_sample(args) -> int:
    from etl import sample

    return sample.main(["--out", args.out] if args.out else [])


def cmd_backup(args) -> int:
    from etl import backup as bk

    key = settings.backup_key_file
    new_key = not key.exists()
    try:
        path = bk.backup(Path(args.output), keep=args.keep)
    except bk.BackupError as e:
        out.print(f"[bold red]สำรองข้อมูลไม่สำเร็จ / backup failed:[/] {e}")
        return 2
    manifest = bk.verify(path)
    out.print(
        f"[green]สำรองข้อมูลแล้ว / backed up[/] {path} ({len(manifest['files'])} files, "
        f"snapshot {manifest['snapshot']}), ลงนามด้วยกุญแจ / signed with the key {key}"
    )
    if new_key:
        out.print(
            f"[yellow]สร้างกุญแจสำรองข้อมูลใหม่ที่ {key} เก็บสำเนาไว้นอกเครื่องนี้ แยกจากไฟล์สำรอง "
            "การกู้คืนต้องใช้กุญแจนี้ / a new backup key was made: keep a copy off this machine, apart "
            "from the archives; a restore needs it (docs/RUNBOOK.md)[/]"
        )
    if manifest.get("ops_store") == bk.OPS_ELSEWHERE:
        out.print(f"[yellow]ไม่รวมฐานข้อมูลปฏิบัติการ (PostgreSQL) ให้สำรองด้วย pg_dump / ops store {bk.OPS_ELSEWHERE}[/]")
    ops.record_audit(ops.engine(), action="backup", target=str(path), after={"files": len(manifest["files"])})
    return 0


def cmd_restore(args) -> int:
    from etl import backup as bk

    try:
        if args.check:
            manifest = bk.verify(Path(args.archive))
            out.print(
                f"[green]ตรวจแล้ว ใช้ได้ / archive is sound:[/] {len(manifest['files'])} files, "
                f"made {manifest['created_at']}, snapshot {manifest['snapshot']}, "
                f"signed with the key {settings.backup_key_file}"
            )
            return 0
        done = bk.restore(Path(args.archive))
    except bk.BackupError as e:
        out.print(f"[bold red]ไม่กู้คืน ไม่มีสิ่งใดเปลี่ยนแปลง / refused, nothing restored:[/] {e}")
        return 2
    manifest = done.manifest
    out.print(
        f"[green]กู้คืนแล้ว / restored[/] {args.archive}: snapshot {manifest['snapshot']}, {len(manifest['files'])} files."
    )
    if done.kept:
        out.print(
            f"ย้ายสิ่งที่ถูกลบหรือแทนที่ {len(done.kept)} รายการไปเก็บไว้ที่ / kept aside {len(done.kept)} "
            f"removed or replaced file(s) in {done.kept_dir}:",
            soft_wrap=True,
        )
        for rel in done.kept[:20]:
            out.print(f"  {rel}", markup=False, highlight=False, soft_wrap=True)
        if len(done.kept) > 20:
            out.print(f"  … และอีก {len(done.kept) - 20} รายการ / and {len(done.kept) - 20} more")
    else:
        out.print("ทุกอย่างตรงกับไฟล์สำรองอยู่แล้ว ไม่มีสิ่งใดต้องเก็บไว้ / everything was as in the archive, nothing kept aside")
    out.print("เริ่มแอปใหม่ / restart the app.")
    ops.record_audit(
        ops.engine(),
        action="restore",
        target=str(args.archive),
        after={
            "snapshot": manifest["snapshot"],
            "files": len(manifest["files"]),
            "kept_aside": str(done.kept_dir) if done.kept else None,
            "kept": len(done.kept),
        },
    )
    return 0


def cmd_user(args) -> int:
    """Accounts: add (the first admin too: there is no default password), email, line, passwd,
    disable, enable."""
    import getpass

    from web import auth

    eng = ops.engine()

    def password() -> str:
        return (
            sys.stdin.readline().rstrip("\n")
            if args.password_stdin
            else getpass.getpass("รหัสผ่าน (อย่างน้อย 10 ตัวอักษร เดายาก) / password (≥ 10 characters, hard to guess): ")
        )

    try:
        if args.user_command == "add":
            auth.add_user(
                eng, args.username, password(), args.role, unit=args.unit, area_code=args.area, email=args.email
            )
        elif args.user_command == "email":
            auth.update_user(eng, args.username, email=args.address, lang=args.message_lang, by=settings.user)
        elif args.user_command == "line":
            from ops import line

            line.set_line_id(eng, args.username, args.line_id, by=settings.user)
        elif args.user_command == "passwd":
            auth.set_password(eng, args.username, password())
        else:
            auth.set_active(eng, args.username, args.user_command == "enable")
    except Exception as e:  # noqa: BLE001 - bad input, unknown user, or a duplicate name (IntegrityError)
        out.print(f"[bold red]ไม่สำเร็จ / failed:[/] {e.__class__.__name__}: {e}")
        return 2
    out.print(f"[green]เรียบร้อย / done:[/] {args.user_command} {args.username}")
    return 0


def cmd_evidence(args) -> int:
    """The PMQA Category 4 evidence pack (IT1–IT7): sanyan-evidence-<fy>.pdf and .xlsx into --out."""
    from reports import evidence

    try:
        pdf, _xlsx, pack = evidence.build_pack(
            out_dir=Path(args.out), lang=args.lang, fy=args.fy, backup_dir=args.backups
        )
    except evidence.EvidenceError as e:
        out.print(f"[bold red]สร้างแฟ้มหลักฐานไม่ได้ / cannot make the evidence pack:[/] {e}")
        return 1
    table = Table(title=f"PMQA หมวด 4 · ปีงบประมาณ / FY {pack['fy']} · snapshot {pack['snapshot']['version']}")
    for col, justify in (("IT", "left"), ("รายการ / item", "left"), ("ค่า / value", "right"), ("", "left")):
        table.add_column(col, justify=justify)
    for sec, label, value, sample in evidence.headline(pack, args.lang):
        table.add_row(sec, label, value, "ข้อมูลตัวอย่าง / sample" if sample else "")
    out.print(table)
    t = pack["timings"]
    out.print(
        f"เวลา / time: {t['total_s']:.1f} s (collect {t['collect_s']:.1f} s, xlsx {t['xlsx_s']:.1f} s, "
        f"pdf {t['pdf_s']:.1f} s)"
    )
    out.print(f"[green]เขียนแล้ว / wrote[/] {pack['files']['xlsx']}", soft_wrap=True)
    if pdf is None:
        err = pack.get("pdf_error") or {}
        out.print(
            f"[bold red]ไม่ได้สร้าง PDF / no PDF:[/] {err.get('th', '')} / {err.get('en', '')}. "
            f"เขียนเฉพาะ .xlsx / only the .xlsx was written.",
            soft_wrap=True,
        )
        return 1
    out.print(f"[green]เขียนแล้ว / wrote[/] {pack['files']['pdf']}", soft_wrap=True)
    return 0


def cmd_notify(args) -> int:
    """Warnings: directives now overdue, new events into the outbox, the digest, delivery."""
    from etl import notify

    if not settings.warehouse.exists():
        out.print("[bold red]ยังไม่มีคลังข้อมูล / no warehouse yet:[/] python -m etl build")
        return 1
    try:
        done = notify.run(digest=args.digest, send=not args.no_send)
    except ValueError as e:  # a setting that is not one (SANYAN_SMTP_TLS)
        out.print(f"[bold red]ตั้งค่าไม่ถูกต้อง / bad setting:[/] {e}")
        return 2
    if not settings.smtp:
        out.print("ยังไม่ได้ตั้งค่าเซิร์ฟเวอร์อีเมล (SANYAN_SMTP_HOST) ไม่มีการส่งอีเมล / no mail server is set: no e-mail")
    table = Table(title="แจ้งเตือน / warnings")
    table.add_column("")
    table.add_column("n", justify="right")
    for label, key in (
        ("ข้อสั่งการเกินกำหนดใหม่ / directives newly overdue", "overdue"),
        ("ข้อความเข้าคิว / messages queued", "queued"),
        ("สรุปเข้าคิว / digests queued", "digests"),
        ("ส่งแล้ว / sent", "sent"),
        ("รอส่งใหม่ / to retry", "retry"),
        ("ส่งไม่สำเร็จ / failed", "failed"),
    ):
        table.add_row(label, f"{done[key]:,}")
    out.print(table)
    w = done["waiting"]
    out.print(f"ในกล่องขาออก / outbox: pending {w['pending']:,} · sent {w['sent']:,} · failed {w['failed']:,}")
    return 1 if done["failed"] else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m etl", description="Sanyan ETL")
    p.add_argument("--lang", choices=("th", "en"), default=settings.lang, help="language of error messages")
    sub = p.add_subparsers(dest="command", required=True)
    for verb, help_ in (
        ("build", "build a new snapshot from data/ and approved web entries (atomic)"),
        ("refresh", "the same as build: fold newly approved web entries into a new snapshot"),
    ):
        b = sub.add_parser(verb, help=help_)
        b.add_argument("-q", "--quiet", action="store_true")
        b.add_argument("--brief", action="store_true", help="a progress bar and three lines; the table to build.log")
        b.add_argument(
            "--full",
            action="store_true",
            help="compute every fiscal year; by default the years whose inputs did not change are carried over",
        )
        b.set_defaults(func=cmd_build)
    t = sub.add_parser("template", help="write the uniform blank template of a dataset")
    t.add_argument("dataset", help=", ".join(reg.TEMPLATED))
    t.add_argument("-o", "--output", required=True)
    t.set_defaults(func=cmd_template)
    for name, func, help_ in (
        ("validate", cmd_validate, "check a file without loading it"),
        ("load", cmd_load, "validate, keep and build (all or nothing)"),
    ):
        c = sub.add_parser(name, help=help_)
        c.add_argument("file")
        c.add_argument("--dataset", help="dataset name (detected from the file when omitted)")
        c.add_argument("-q", "--quiet", action="store_true")
        if name == "load":
            c.add_argument(
                "--as",
                dest="as_user",
                metavar="USER",
                help="load on behalf of this account: every row must be in its scope (docs/RULES.md section 12)",
            )
        c.set_defaults(func=func)
    s = sub.add_parser("sample", help="regenerate the seeded sample data in data/sample")
    s.add_argument("--out", default=None)
    s.set_defaults(func=cmd_sample)
    bk = sub.add_parser("backup", help="warehouse, ops store and data files into one checked archive")
    bk.add_argument(
        "-o",
        "--output",
        default=str(settings.data_dir.parent / "backups"),
        help="folder for the archive (default: backups/ beside data/)",
    )
    bk.add_argument("--keep", type=int, default=None, help="keep only the newest N archives in that folder")
    bk.set_defaults(func=cmd_backup)
    rs = sub.add_parser("restore", help="verify an archive, then restore it (stop the app first)")
    rs.add_argument("archive")
    rs.add_argument("--check", action="store_true", help="only verify the archive, change nothing")
    rs.set_defaults(func=cmd_restore)
    ev = sub.add_parser("evidence", help="the PMQA Category 4 evidence pack (IT1–IT7) as PDF and .xlsx")
    ev.add_argument("--out", default=".", help="folder for sanyan-evidence-<fy>.pdf / .xlsx (default: here)")
    ev.add_argument("--fy", type=int, default=None, help="fiscal year, B.E. (default: the snapshot's)")
    ev.add_argument(
        "--backups", default=None, help="folder of the backup archives (default: backups/ beside data/, as `backup`)"
    )
    ev.set_defaults(func=cmd_evidence)
    nt = sub.add_parser("notify", help="send the warnings: new events, overdue directives, retries, the digest")
    nt.add_argument("--digest", choices=("daily", "weekly"), help="also each executive's digest of that period")
    nt.add_argument("--no-send", action="store_true", help="queue only; send nothing now")
    nt.set_defaults(func=cmd_notify)
    us = sub.add_parser("user", help="accounts: `user add NAME --role admin` makes the first admin")
    us_sub = us.add_subparsers(dest="user_command", required=True)
    ua = us_sub.add_parser("add", help="create an account (password asked, or --password-stdin)")
    ua.add_argument("username")
    ua.add_argument("--role", required=True, choices=ops.ROLES)
    ua.add_argument("--unit", help="owner unit (verifier, editor)")
    ua.add_argument("--area", help="district code of an editor, e.g. 8604")
    ua.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    ua.add_argument("--email", help="where the warnings are e-mailed (none: the app's inbox only)")
    ua.set_defaults(func=cmd_user)
    ue = us_sub.add_parser("email", help='set (or with "" clear) where an account\'s warnings are e-mailed')
    ue.add_argument("username")
    ue.add_argument("address")
    ue.add_argument("--message-lang", choices=("th", "en"), default=None, help="the language of its messages")
    ue.set_defaults(func=cmd_user)
    ul = us_sub.add_parser("line", help='set (or with "" clear) the LINE user id an account\'s warnings are pushed to')
    ul.add_argument("username")
    ul.add_argument("line_id", help="U and 32 hexadecimal digits, as LINE's Messaging API gives it")
    ul.set_defaults(func=cmd_user)
    up = us_sub.add_parser("passwd", help="set a new password (after a leak)")
    up.add_argument("username")
    up.add_argument("--password-stdin", action="store_true")
    up.set_defaults(func=cmd_user)
    for verb in ("disable", "enable"):
        ud = us_sub.add_parser(verb, help=f"{verb} an account (its sessions end at the next request)")
        ud.add_argument("username")
        ud.set_defaults(func=cmd_user)
    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
