"""The decision rules of DESIGN.md §3, on tallies alone (no database)."""

from __future__ import annotations

from glossary.services.ballots import Tally, decide

PROPOSED = {1: "proposed", 2: "proposed", 3: "proposed"}


def test_highest_share_over_threshold_wins_others_admitted_or_rejected() -> None:
    tallies = {1: Tally(up=4, down=1), 2: Tally(up=3, down=2), 3: Tally(up=1, down=4)}
    decision = decide(PROPOSED, tallies, voters=5, quorum=3, threshold=0.6)
    assert decision.result == "winner"
    assert decision.winner == 1
    assert decision.statuses == {1: "preferred", 2: "admitted", 3: "rejected"}


def test_threshold_is_inclusive_and_exact() -> None:
    # 3 of 5 is exactly 0.6: at the threshold counts as meeting it.
    decision = decide({1: "proposed"}, {1: Tally(up=3, down=2)}, voters=5, quorum=1, threshold=0.6)
    assert decision.statuses == {1: "preferred"}


def test_without_quorum_nothing_changes() -> None:
    decision = decide(PROPOSED, {1: Tally(up=2)}, voters=2, quorum=3, threshold=0.6)
    assert decision.result == "no_quorum"
    assert decision.statuses == {}


def test_abstentions_count_towards_quorum_but_not_the_share() -> None:
    # Two abstainers bring the slot to quorum; the one judgement decides the share.
    tallies = {1: Tally(up=1, abstain=2)}
    decision = decide({1: "proposed"}, tallies, voters=3, quorum=3, threshold=0.6)
    assert decision.statuses == {1: "preferred"}


def test_only_abstentions_leave_a_term_as_it_was() -> None:
    tallies = {1: Tally(up=3), 2: Tally(abstain=3)}
    decision = decide(PROPOSED, tallies, voters=3, quorum=3, threshold=0.6)
    assert decision.statuses == {1: "preferred"}


def test_a_tie_for_first_place_decides_nothing() -> None:
    tallies = {1: Tally(up=3, down=1), 2: Tally(up=6, down=2), 3: Tally(down=4)}
    decision = decide(PROPOSED, tallies, voters=8, quorum=3, threshold=0.6)
    assert decision.result == "tie"
    assert decision.winner is None
    assert decision.statuses == {}


def test_nobody_over_threshold_rejects_with_quorum() -> None:
    tallies = {1: Tally(up=1, down=2), 2: Tally(up=0, down=3)}
    decision = decide(PROPOSED, tallies, voters=3, quorum=3, threshold=0.6)
    assert decision.result == "no_winner"
    assert decision.statuses == {1: "rejected", 2: "rejected"}


def test_a_new_winner_demotes_the_unjudged_old_preferred_term() -> None:
    statuses = {1: "preferred", 2: "proposed"}
    decision = decide(statuses, {2: Tally(up=3)}, voters=3, quorum=3, threshold=0.6)
    assert decision.statuses == {1: "admitted", 2: "preferred"}


def test_the_old_preferred_term_judged_below_threshold_is_rejected() -> None:
    statuses = {1: "preferred", 2: "proposed"}
    tallies = {1: Tally(up=1, down=3), 2: Tally(up=4)}
    decision = decide(statuses, tallies, voters=4, quorum=3, threshold=0.6)
    assert decision.statuses == {1: "rejected", 2: "preferred"}


def test_the_old_preferred_term_winning_again_changes_nothing_for_it() -> None:
    statuses = {1: "preferred", 2: "proposed"}
    tallies = {1: Tally(up=4), 2: Tally(up=2, down=2)}
    decision = decide(statuses, tallies, voters=4, quorum=3, threshold=0.6)
    assert decision.winner == 1
    assert decision.statuses == {2: "rejected"}
