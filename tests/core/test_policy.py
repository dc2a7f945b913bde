import shutil
from pathlib import Path

import pytest

from civicshield.core.errors import PolicyError
from civicshield.core.policy import check_policy, load_policy
from civicshield.policies import DEFAULT_POLICY_DIR


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(DEFAULT_POLICY_DIR, target)
    return target


def write_rule(directory: Path, body: str) -> Path:
    path = directory / "zz_test.yaml"
    path.write_text("rules:\n" + body)
    return path


def test_the_shipped_policy_set_is_valid():
    policy = load_policy(DEFAULT_POLICY_DIR)
    assert policy.rules and policy.queues
    assert policy.version.startswith(policy.declared_version + "+")


def test_editing_a_file_changes_the_recorded_version(policy_dir):
    before = load_policy(policy_dir).version
    write_rule(policy_dir, "  - {id: t.x, area: civic_information, applies_to: [content], when: 'true',"
                           " actions: [label], labels: [unverified_content], explanation: x}\n")
    assert load_policy(policy_dir).version != before


@pytest.mark.parametrize("rule, message", [
    ("  - {id: t.bad_cel, area: civic_information, applies_to: [content], when: 'signals.x >', actions: [label], explanation: x}\n",
     "not valid CEL"),
    ("  - {id: t.bad_action, area: civic_information, applies_to: [content], when: 'true', actions: [vaporise], explanation: x}\n",
     "unknown action 'vaporise'"),
    ("  - {id: t.bad_area, area: gardening, applies_to: [content], when: 'true', actions: [label], explanation: x}\n",
     "`area` must be one of"),
    ("  - {id: t.bad_queue, area: civic_information, applies_to: [content], when: 'true', queue: nowhere, explanation: x}\n",
     "queue 'nowhere' is not declared"),
    ("  - {id: t.no_explanation, area: civic_information, applies_to: [content], when: 'true', actions: [label]}\n",
     "`explanation` is required"),
    ("  - {id: civic.election_banner, area: civic_information, applies_to: [content], when: 'true', actions: [label], explanation: x}\n",
     "rule id is also used"),
])
def test_policy_errors_name_file_line_and_rule(policy_dir, rule, message):
    path = write_rule(policy_dir, "  # a comment line\n" + rule)
    problems = check_policy(policy_dir)
    assert problems, "the broken rule must be reported"
    problem = next(p for p in problems if message in str(p))
    assert problem.file == str(path)
    assert problem.line == 3
    assert problem.rule_id
    with pytest.raises(PolicyError):
        load_policy(policy_dir)


def test_yaml_syntax_errors_carry_the_line(policy_dir):
    (policy_dir / "broken.yaml").write_text("rules:\n  - id: x\n    when: [unclosed\n")
    (problem,) = check_policy(policy_dir)
    assert problem.file.endswith("broken.yaml") and problem.line == 4


def test_check_reports_every_problem_not_just_the_first(policy_dir):
    write_rule(policy_dir, "  - {id: t.a, area: nope, applies_to: [content], when: 'true', actions: [label], explanation: x}\n"
                           "  - {id: t.b, area: nope, applies_to: [content], when: 'true', actions: [label], explanation: x}\n")
    assert {p.rule_id for p in check_policy(policy_dir)} == {"t.a", "t.b"}


def test_named_patterns_compile_once_and_feed_rules(policy_dir):
    from civicshield.core.assess import Context, assess
    from civicshield.core.detectors import Registry
    from civicshield.core.events import parse_event
    from civicshield.core.patterns import TextPatternDetector
    from tests.conftest import ev_content

    (policy_dir / "zz.yaml").write_text(
        "patterns:\n  vote_by_text: '\\bvote (by|via) (text|sms)\\b'\n"
        "rules:\n  - {id: t.sms, area: election_misinformation, applies_to: [content],"
        " when: '\"vote_by_text\" in signals.text_patterns.value', queue: misinformation, explanation: x}\n")
    policy = load_policy(policy_dir)
    registry = Registry()
    registry.register(TextPatternDetector())
    hit = assess(parse_event(ev_content(text="You can VOTE BY TEXT this year")).payload, Context(policy, registry))
    miss = assess(parse_event(ev_content(text="Vote in person")).payload, Context(policy, registry))
    assert hit.signals["text_patterns"].evidence["matches"]["vote_by_text"] == "VOTE BY TEXT"
    assert hit.queue == "misinformation" and miss.queue is None


def test_a_broken_pattern_is_reported_with_its_file(policy_dir):
    (policy_dir / "zz.yaml").write_text("patterns:\n  broken: '(unclosed'\n")
    (problem,) = check_policy(policy_dir)
    assert problem.file.endswith("zz.yaml") and "broken" in str(problem)
