"""`PersonFollower`: the patient among the people of each frame, kept from frame to frame (pure).

- While only one person has ever been seen, every pose passes unchanged.
- Identities: each pose goes to the nearest person within reach (a walker's speed carried through
  short gaps); a pose about as near to two people, as bodies cross, goes to neither.
- The patient stays the person followed so far, unless that choice has not yet moved like
  someone exercising or is younger than `settle_s` (then the best score wins: posture that fits
  the exercise, a complete, large and central body, movement in place); unless its posture does
  not fit while another's does (a helper followed before the patient lay down: none of the
  helper's poses meanwhile); or unless its landmarks travel away while someone who fits is where
  it exercised (landmarks that slid onto a passer-by).
- A frame without the patient is "no pose", never another person's; after `lost_s` without the
  patient, the best person whose posture fits is chosen again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from posecount.pose.landmarks import PoseFrame
from posecount.pose.persons import (
    FollowSettings,
    Look,
    Person,
    distance_body,
    distinct_looks,
    look,
    posture_fit,
)

CLEAR_BODY = 0.1  # a pose this near (body sizes) to someone's last one is theirs, whoever else is near
SETTLE_MARGIN = 0.25  # a young choice is exchanged only for a clearly better score (scores run 0..5.5)
MOVED_CHECK_S = 1.0  # how often the one-person path asks whether the person has moved


class PersonFollower:
    """Feed every frame's people to `choose`; it returns the patient's pose, or None."""

    def __init__(self, settings: FollowSettings | None = None) -> None:
        self.cfg = settings or FollowSettings()
        self.people: list[Person] = []
        self.patient: Person | None = None
        self._next_id = 0
        self._moved_check_s = -math.inf
        self._chosen_s = -math.inf  # when the patient was last chosen
        self._last_look: Look | None = None
        self.count = 0  # people in the last frame (one found twice counts once)
        self.several_s: list[float] = []  # times of the frames with several people
        self.hidden_s: list[float] = []  # times of the frames where others were seen, not the patient
        self.switches: list[tuple[float, int]] = []  # (t_s, id) whenever another person became the patient

    def jumped(self, t_s: float, poses: Sequence[PoseFrame]) -> bool:
        """Whether a lone pose is not the person followed (out of reach, or nearer someone else seen
        before): MediaPipe's one-person landmarker may have lost the patient and found someone else."""
        cur = self.patient
        if len(poses) != 1 or cur is None:
            return False
        lk = self._look(poses[0])
        far = {id(p): distance_body(p.last, lk, p.expected_shift(t_s)) for p in self.people}
        mine = far.get(id(cur), math.inf)
        return mine > self._gate(cur, t_s) or any(far[id(p)] < mine for p in self.people if p is not cur)

    def misfits(self, poses: Sequence[PoseFrame]) -> bool:
        """Whether a lone pose clearly lacks the exercise's posture (standing by a bridge): perhaps
        not the patient. Always False when any posture fits."""
        if len(poses) != 1 or self.cfg.posture is None:
            return False
        return posture_fit(self._look(poses[0]), self.cfg) == 0.0

    def _look(self, pose: PoseFrame) -> Look:
        if self._last_look is None or self._last_look.pose is not pose:  # `jumped` may have read it
            self._last_look = look(pose, self.cfg.min_quality)
        return self._last_look

    def choose(self, t_s: float, poses: Sequence[PoseFrame]) -> PoseFrame | None:
        """The patient's pose among `poses` (everyone MediaPipe found in this frame), or None."""
        looks = distinct_looks([self._look(p) for p in poses], self.cfg)
        self.count = len(looks)
        if len(looks) < 2 and not self.several_s:  # one person so far: passed on unchanged
            if looks:
                self._alone(t_s, looks[0])
            return looks[0].pose if looks else None
        if len(looks) > 1:
            if not self.several_s:  # the one-person path kept sightings only: score them now
                for p in self.people:
                    p.rescore(self.cfg)
            self.several_s.append(t_s)
        seen = self._associate(t_s, looks)
        self._set_patient(t_s, self._decide(t_s, seen))
        if self.patient is not None and any(p is self.patient for p in seen) and not self._misfit(seen):
            return self.patient.pose
        if seen:
            self.hidden_s.append(t_s)
        return None

    # -- identities ---------------------------------------------------------------------------
    def _alone(self, t_s: float, lk: Look) -> None:
        """The one-person path: remember the sightings of whoever is followed (cheaply)."""
        cur = self.patient
        if cur is None or distance_body(cur.last, lk) > self._gate(cur, t_s):
            self.people = [self._new_person(t_s, lk)]
            self._set_patient(t_s, self.people[0])
            return
        cur.update(t_s, lk, self.cfg, scored=False)
        if t_s - self._moved_check_s >= MOVED_CHECK_S:
            self._moved_check_s = t_s
            cur.movement()

    def _gate(self, person: Person, t_s: float) -> float:
        c = self.cfg
        return min(c.match_body + c.drift_body_per_s * max(t_s - person.seen_s, 0.0), c.max_match_body)

    def _associate(self, t_s: float, looks: list[Look]) -> list[Person]:
        """Each pose given to the nearest person within reach (nearest pairs first), or to a new one;
        a pose about as near to two people (two bodies merging as they cross) goes to neither. Returns
        the people seen in this frame."""
        near = {j: sorted((d, i) for i, person in enumerate(self.people)
                          if (d := distance_body(person.last, lk, person.expected_shift(t_s)))
                          <= self._gate(person, t_s))
                for j, lk in enumerate(looks)}
        unclear = {j for j, ds in near.items() if len(ds) > 1 and ds[0][0] > CLEAR_BODY and ds[1][0] < 2 * ds[0][0]}
        owner: dict[int, Person] = {}
        taken: set[int] = set()
        for _, i, j in sorted((d, i, j) for j, ds in near.items() if j not in unclear for d, i in ds):
            if i not in taken and j not in owner:
                taken.add(i)
                owner[j] = self.people[i]
                owner[j].update(t_s, looks[j], self.cfg)
        for j, lk in enumerate(looks):
            if j not in owner and j not in unclear:
                owner[j] = self._new_person(t_s, lk)
                self.people.append(owner[j])
        self.people = [p for p in self.people if p is self.patient or t_s - p.seen_s <= self.cfg.lost_s]
        return [owner[j] for j in sorted(owner)]

    def _new_person(self, t_s: float, lk: Look) -> Person:
        self._next_id += 1
        return Person.first_seen(self._next_id - 1, t_s, lk, self.cfg)

    # -- the choice ---------------------------------------------------------------------------
    def _fits(self, person: Person) -> bool:
        return self.cfg.posture is None or person.posture >= 0.5

    def _decide(self, t_s: float, seen: list[Person]) -> Person | None:
        cur, c = self.patient, self.cfg
        if cur is None:
            return self._best(seen)
        if any(p is cur for p in seen):
            cur.movement()  # keeps `moved` up to date
            if t_s - self._chosen_s < c.settle_s or not cur.moved:  # no set to break yet: the best wins
                best = self._best(seen)
                if best is not None and best.choice_score() > cur.choice_score() + SETTLE_MARGIN:
                    return best
            stayed = self._stayed_behind(cur, seen)
            if stayed is not None:  # the landmarks slid onto someone passing by: the patient stayed
                return stayed
            if c.posture is not None and cur.posture < 0.25:  # followed someone in the wrong posture
                fitting = [p for p in seen if p is not cur and p.posture >= 0.75 and t_s - p.since_s >= c.switch_s]
                if fitting:
                    return max(fitting, key=Person.choice_score)
            return cur
        if t_s - cur.seen_s < c.lost_s:
            return cur  # hidden for now: no pose rather than someone else's
        return self._best(seen) or cur

    def _misfit(self, seen: list[Person]) -> bool:
        """The patient followed does not have the posture while someone else does (until the switch)."""
        cur = self.patient
        return (self.cfg.posture is not None and cur is not None and cur.posture < 0.25
                and any(p is not cur and p.posture >= 0.75 for p in seen))

    def _stayed_behind(self, cur: Person, seen: list[Person]) -> Person | None:
        """Someone who fits, now where the patient was at the start of the window while the patient's
        landmarks travel away: an exercise is done in place, so that one is the patient (two people
        crossing swap identities when MediaPipe's landmarks slide from one onto the other)."""
        if not cur.walking():
            return None
        then, reach = cur.history[0][1].centre, self.cfg.match_body * cur.size_px
        stayed = [p for p in seen if p is not cur and self._fits(p)
                  and float(np.linalg.norm(p.last.centre - then)) < reach]
        return min(stayed, key=lambda p: float(np.linalg.norm(p.last.centre - then)), default=None)

    def _best(self, seen: list[Person]) -> Person | None:
        """The best scored of those who fit, preferring those who stay in place to those walking
        (else a patient just found back behind someone walking off is exchanged for that one again)."""
        fitting = [p for p in seen if self._fits(p)]
        staying = [p for p in fitting if not p.walking()]
        return max(staying or fitting, key=Person.choice_score) if fitting else None

    def _set_patient(self, t_s: float, person: Person | None) -> None:
        """`person` is the patient from now on; a new choice stays open until that one has moved."""
        if person is not None and person is not self.patient:
            if self.patient is not None:
                self.switches.append((t_s, person.id))
                person.moved = False
            self.patient, self._chosen_s = person, t_s

    # -- for the warning ----------------------------------------------------------------------
    def summary(self) -> str | None:
        """What happened with several people in view, in one clause (None: one person only)."""
        if not self.several_s:
            return None
        first, last = self.several_s[0], self.several_s[-1]
        posture = {"lying": "lying down", "upright": "standing"}.get(self.cfg.posture or "", "")
        who = f"the person {posture}" if posture else "one person"
        hidden = f" and paused in {len(self.hidden_s)} frames where that person was hidden" if self.hidden_s else ""
        span = f"at {first:.1f} s" if math.isclose(first, last) else f"between {first:.1f} s and {last:.1f} s"
        return f"several people were in view ({span}); posecount followed {who}{hidden}"
