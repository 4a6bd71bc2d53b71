"""Stage 4, decisions: suggestions in, a reviewer's decisions (and their audit log) out.

- `model`: the decision model and its vocabularies (`StrEnum`s);
- `store`: the SQLite store, with its one transaction helper; `journal`: how an action
  is recorded (event and audit lines in one transaction); `state`: the replay of the
  events, undo and redo; `changes`: the records each action writes;
- `review`: the `Review` API the CLI and the TUI drive, with `redactions` (decisions read
  as spans), `audit_events` (an action's audit line), `same_text` (accept everywhere)
  and `settings`;
- `folder`: a folder of reviews; `exchange`: decisions as JSON; `seals`: where a log's
  seal is recorded;
- `outcome`: what the review hands on as plain data: the `ReleaseInput` of its release
  copy and the `ReviewSummary` a report states.
"""
