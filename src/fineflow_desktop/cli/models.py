"""``fineflow models list|add|archive|unarchive|deploy|restore-default|delete|checkpoints|compare|comparison``
(issue 12's contract: ``models list`` → ``{"models": [{"model_id", "provider", "base_model",
"job_id", "status", ...}]}``; ``models compare`` → ``{"comparison_id", "rows", "summary"}`` with
each row ``{prompt, reference, a, b, scores: {a, b}}``; ``scores`` hold exact_match, token_f1,
rouge_l and cosine; a row's judge verdict is its ``judge`` key). Without ``--dataset`` /
``--prompts`` / ``--job``, the prompts are the held-out split of the job that made model A. Exit codes: 0 success, 1 a comparison
whose every request failed, 2 bad usage (unknown model, dataset, credential; bad prompts file).
``models delete MODEL_ID`` asks the provider to delete the model where its API can (OpenAI
``models.delete``, Fireworks ``models.delete``, Together: the job that made it) — on a terminal
after a confirmation, otherwise only with ``--yes`` — then removes it from the catalog; JSON
``{"model_id", "catalog_id", "deleted_at_provider", "provider_message", "removed_from_catalog",
"chat_model"}``; exit 1 when the provider refused (the catalog row is kept).
``models checkpoints MODEL_ID`` adds the saved checkpoints of the model's job as catalog models.
"""

from __future__ import annotations

from pathlib import Path

from fineflow_desktop.cli.common import UsageError, command, emit


def register(sub, common) -> None:
    """Add the ``models`` command group."""
    m = sub.add_parser("models", help="fine-tuned model catalog and comparisons")
    msub = m.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    ls = msub.add_parser("list", parents=[common], help="catalog models (completed jobs' models are added)")
    ls.add_argument("--active", action="store_true", help="leave archived models out")
    ls.set_defaults(handler=cmd_list)
    add = msub.add_parser("add", parents=[common], help="add a model trained elsewhere by its id")
    add.add_argument("model_id")
    add.add_argument("--credential", required=True, help="credential that reaches the model")
    add.add_argument("--base", default=None, help="its base model")
    add.set_defaults(handler=cmd_add)
    for name, handler, help_ in (("archive", cmd_archive, "hide a model from pickers (kept with its comparisons)"),
                                 ("unarchive", cmd_unarchive, "bring an archived model back"),
                                 ("deploy", cmd_deploy, "make a model the workspace's default chat model")):
        p = msub.add_parser(name, parents=[common], help=help_)
        p.add_argument("model_id", help="model id or catalog id")
        p.set_defaults(handler=handler)
    de = msub.add_parser("delete", parents=[common],
                         help="delete a model at its provider (where the API can) and from the catalog")
    de.add_argument("model_id", help="model id or catalog id")
    de.add_argument("--keep-at-provider", action="store_true", help="remove it from the catalog only")
    de.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    de.set_defaults(handler=cmd_delete)
    ck = msub.add_parser("checkpoints", parents=[common], help="add the checkpoints of the model's job as catalog models")
    ck.add_argument("model_id", help="model id or catalog id")
    ck.set_defaults(handler=cmd_checkpoints)
    rd = msub.add_parser("restore-default", parents=[common], help="put back the chat model from before the last deploy")
    rd.set_defaults(handler=cmd_restore_default)
    cmp = msub.add_parser("compare", parents=[common], help="answer the same prompts with two models and score them")
    cmp.add_argument("model_id", help="model A (e.g. the fine-tuned model)")
    cmp.add_argument("--against", required=True, metavar="BASE_OR_MODEL", help="model B (e.g. its base model)")
    src = cmp.add_mutually_exclusive_group()
    src.add_argument("--dataset", help="prompts and reference answers from this dataset's pairs")
    src.add_argument("--prompts", type=Path, metavar="FILE", help="text (one prompt per line) or JSONL file")
    src.add_argument("--job", type=int, metavar="JOB_ID",
                     help="the held-out validation split of this fine-tuning job (default: model A's job, if any)")
    cmp.add_argument("--limit", type=int, default=50, metavar="N", help="number of prompts (default 50)")
    cmp.add_argument("--credential", default=None, help="credential for model A (default: the catalog's)")
    cmp.add_argument("--credential-b", default=None, help="credential for model B (default: the catalog's, else model A's)")
    cmp.add_argument("--temperature", type=float, default=None, help="default: the workspace's (AI Settings)")
    cmp.add_argument("--max-tokens", type=int, default=None, help="default: the workspace's (AI Settings)")
    cmp.add_argument("--instructions", default=None,
                     help="system message for prompts without one (default: the workspace instructions)")
    cmp.add_argument("--concurrency", type=int, default=4)
    cmp.add_argument("--judge", default=None, metavar="MODEL", help="also ask this judge model which answer is better")
    cmp.add_argument("--judge-credential", default=None, help="credential for the judge (default: model A's)")
    cmp.add_argument("--judge-template", default=None, metavar="SLUG",
                     help="judge prompt template (default: builtin-judge; its published version)")
    cmp.add_argument("--judge-version", type=int, default=None, metavar="N", help="judge template version number")
    cmp.add_argument("--out", type=Path, default=None, help="also export the rows (.jsonl or .csv)")
    cmp.set_defaults(handler=cmd_compare)
    show = msub.add_parser("comparison", parents=[common], help="reopen a stored comparison (and vote / export)")
    show.add_argument("comparison_id", type=int)
    show.add_argument("--vote", nargs=2, metavar=("IDX", "a|b|tie"), default=None, help="record a vote on prompt IDX")
    show.add_argument("--out", type=Path, default=None, help="export the rows (.jsonl or .csv)")
    show.set_defaults(handler=cmd_comparison)


def _model_line(m) -> str:
    flags = (" [deployed]" if m.deployed else "") + (" [archived]" if m.status == "archived" else "")
    src = f"job {m.job_id}" if m.job_id else m.source
    if m.source == "checkpoint":
        src += f" checkpoint step {m.checkpoint_step}"
    u = m.usage or {}
    return (f"{m.id}\t{m.provider}\t{m.model_id}\tbase {m.base_model or '-'}\t{src}\t"
            f"{m.created_at:%Y-%m-%d}\t{u.get('calls', 0)} calls ${u.get('cost_usd', 0.0):.4f}{flags}")


@command
def cmd_list(ws, args) -> int:
    from fineflow_desktop.services import models

    rows = models.list_models(ws, include_archived=not args.active)
    emit(args, {"models": [m.to_dict() for m in rows]}, "\n".join(_model_line(m) for m in rows) or "no models yet")
    return 0


def _model_call(fn, *a):
    from fineflow_desktop.providers.credentials import CredentialError
    from fineflow_desktop.services import models

    try:
        return fn(*a)
    except (models.ModelNotFound, CredentialError, ValueError) as exc:
        raise UsageError(str(exc)) from None


@command
def cmd_add(ws, args) -> int:
    from fineflow_desktop.services import models

    m = _model_call(models.add_model, ws, args.model_id, args.credential, args.base)
    emit(args, m.to_dict(), _model_line(m))
    return 0


@command
def cmd_archive(ws, args) -> int:
    from fineflow_desktop.services import models

    m = _model_call(models.set_archived, ws, args.model_id, True)
    emit(args, m.to_dict(), _model_line(m))
    return 0


@command
def cmd_unarchive(ws, args) -> int:
    from fineflow_desktop.services import models

    m = _model_call(models.set_archived, ws, args.model_id, False)
    emit(args, m.to_dict(), _model_line(m))
    return 0


@command
def cmd_deploy(ws, args) -> int:
    from fineflow_desktop.services import models

    d = _model_call(models.deploy_model, ws, args.model_id)
    emit(args, d, f"chat model: {d['model_id']} (was {d['previous']}; 'fineflow models restore-default' puts it back)")
    return 0


@command
def cmd_delete(ws, args) -> int:
    import sys

    from fineflow_desktop.providers.base import ProviderError
    from fineflow_desktop.services import finetune as ft
    from fineflow_desktop.services import models

    rec = _model_call(models.get_model, ws, args.model_id)
    asks, what = models.delete_support(rec)
    if asks and not args.keep_at_provider and not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(f"not deleting without confirmation: {what}; pass --yes (or --keep-at-provider)")
        if input(f"{what}. Delete? [y/N] ").strip().lower() not in ("y", "yes"):
            print("not deleted")
            return 1
    try:
        res = models.delete_model(ws, rec.id, at_provider=not args.keep_at_provider)
    except ft.CredentialRejected as exc:
        raise UsageError(str(exc)) from None
    except ProviderError as exc:
        print(f"fineflow: error: {exc} (kept in the catalog)")
        return 1
    text = f"removed {res.model_id} from the catalog; provider: {res.provider_message}"
    if res.chat_model:
        text += f"\nit was the workspace chat model; restored {res.chat_model}"
    emit(args, res.to_dict(), text)
    return 0


@command
def cmd_checkpoints(ws, args) -> int:
    from fineflow_desktop.providers.base import ProviderError
    from fineflow_desktop.services import finetune as ft
    from fineflow_desktop.services import models

    try:
        added = _model_call(models.add_checkpoints, ws, args.model_id)
    except (ft.FineTuneError, ProviderError) as exc:
        print(f"fineflow: error: {exc}")
        return 1
    emit(args, {"added": [m.to_dict() for m in added]},
         "\n".join(_model_line(m) for m in added) or "no new checkpoints")
    return 0


@command
def cmd_restore_default(ws, args) -> int:
    from fineflow_desktop.services import models

    prev = models.restore_previous_default(ws)
    emit(args, {"model_id": prev}, f"chat model: {prev}" if prev else "nothing to restore (no model was deployed)")
    return 0


def _summary_text(c) -> str:
    s = c.summary
    means = s.get("means", {})
    lines = [f"comparison #{c.comparison_id}: {c.model_a} (A) vs {c.model_b} (B), {s.get('prompts', 0)} prompts, {c.status}"]
    if c.prompt_source:
        lines.append(f"  prompts: {c.prompt_source}")
    for side, model in (("a", c.model_a), ("b", c.model_b)):
        m = means.get(side) or {}
        if m:
            cos = f", cosine {m['cosine']:.3f}" if "cosine" in m else ""
            lines.append(f"  {side.upper()} {model}: ROUGE-L {m['rouge_l']:.3f}, token F1 {m['token_f1']:.3f}, "
                         f"exact {m['exact_match']:.2f}{cos}; errors {s['errors'][side]}")
    cl = s.get("closer_to_reference") or {}
    if cl:
        lines.append(f"  closer to the reference: A {cl['a']}, B {cl['b']}, tie {cl['tie']}")
    by_cos = (s.get("closer_by") or {}).get("cosine")
    if by_cos:
        lines.append(f"  closer by cosine: A {by_cos['a']}, B {by_cos['b']}, tie {by_cos['tie']}")
    v = s.get("votes") or {}
    if v.get("decided"):
        lo, hi = v["ci95"]
        lines.append(f"  votes: A {v['a']}, B {v['b']}, tie {v['tie']} — A wins {v['a_rate']:.0%} (95% CI {lo:.0%}–{hi:.0%})")
    j = s.get("judge")
    if j:
        rate = f" — A wins {j['a_rate']:.0%} (95% CI {j['ci95'][0]:.0%}–{j['ci95'][1]:.0%})" if j.get("a_rate") is not None else ""
        lines.append(f"  judge: A {j['a']}, B {j['b']}, tie {j['tie']}, errors {j['errors']}{rate}")
    return "\n".join(lines)


@command
def cmd_compare(ws, args) -> int:
    from fineflow_desktop.providers.base import ProviderError
    from fineflow_desktop.providers.credentials import CredentialError
    from fineflow_desktop.services import models
    from fineflow_desktop.services.datasets import DatasetNotFound
    from fineflow_desktop.services.templates import TemplateNotFound

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    try:
        if args.prompts:
            prompts, source = models.read_prompts_file(args.prompts)[: args.limit], f"file:{args.prompts}"
        elif args.dataset:
            prompts, source = models.dataset_prompts(ws, args.dataset, args.limit), f"dataset:{args.dataset}"
        else:
            job = args.job if args.job is not None else models.job_of_model(ws, args.model_id)
            if job is None:
                raise UsageError(f"{args.model_id} was not made by a fine-tuning job here: give --dataset, --prompts "
                                 "or --job")
            prompts, source = models.job_prompts(ws, job, args.limit)
        judge = None
        if args.judge:
            judge_cred = args.judge_credential or models.credential_of(ws, args.model_id, args.credential)
            judge = models.JudgeSpec(args.judge, judge_cred, args.judge_template or models.JudgeSpec.template,
                                     args.judge_version)
        cmp = models.compare_models(ws, args.model_id, args.against, prompts, credential_a=args.credential,
                                    credential_b=args.credential_b, temperature=args.temperature,
                                    max_tokens=args.max_tokens, instructions=args.instructions,
                                    concurrency=args.concurrency, prompt_source=source, judge=judge)
    except (models.PromptsFileError, models.ModelNotFound, models.NoHeldOutSplit, CredentialError, DatasetNotFound,
            TemplateNotFound, LookupError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    except ProviderError as exc:
        print(f"fineflow: error: {exc}")
        return 1
    if args.out:
        models.export_comparison(ws, cmp.comparison_id, args.out)
    emit(args, {"comparison_id": cmp.comparison_id, "model_a": cmp.model_a, "model_b": cmp.model_b,
                "prompt_source": cmp.prompt_source, "params": cmp.params, "rows": cmp.rows, "summary": cmp.summary},
         _summary_text(cmp))
    errors = cmp.summary.get("errors", {})
    return 1 if cmp.rows and errors.get("a") == len(cmp.rows) and errors.get("b") == len(cmp.rows) else 0


@command
def cmd_comparison(ws, args) -> int:
    from fineflow_desktop.services import models

    try:
        if args.vote:
            idx, vote = args.vote
            if not idx.isdigit():
                raise ValueError(f"vote: prompt index {idx!r} is not a number")
            models.set_vote(ws, args.comparison_id, int(idx), vote)
        cmp = models.get_comparison(ws, args.comparison_id)
    except (LookupError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    if args.out:
        models.export_comparison(ws, cmp.comparison_id, args.out)
    emit(args, {"comparison_id": cmp.comparison_id, "model_a": cmp.model_a, "model_b": cmp.model_b,
                "prompt_source": cmp.prompt_source, "params": cmp.params, "rows": cmp.rows, "summary": cmp.summary,
                "status": cmp.status}, _summary_text(cmp))
    return 0
