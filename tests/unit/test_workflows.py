"""Every workflow table, walked pair by pair: each legal (state, verb) leads where the design says,
and every other pair is refused with the verb's stable code and a sentence naming the state."""

from __future__ import annotations

import pytest

from chalicelib.domain.catalog import RATE_LINE_WORKFLOW, LineStatus
from chalicelib.domain.documents import DOCUMENT_WORKFLOW, DocumentStatus
from chalicelib.domain.invoices import INVOICE_WORKFLOW, InvoiceStatus
from chalicelib.domain.outbox import MAIL_WORKFLOW, MailStatus
from chalicelib.domain.orders import AGREEMENT_WORKFLOW, ORDER_WORKFLOW, SLOT_WORKFLOW, AgreementStatus, OrderStatus, SlotStatus
from chalicelib.domain.press_company import COMPANY_WORKFLOW, CompanyStatus
from chalicelib.domain.subscriptions import SUBSCRIPTION_WORKFLOW, SubscriberStatus
from chalicelib.domain.workflow import REGISTRY, TransitionRefused, Verb, Workflow

C, D, A, O, S, L, I = CompanyStatus, DocumentStatus, AgreementStatus, OrderStatus, SlotStatus, LineStatus, InvoiceStatus
M, B = MailStatus, SubscriberStatus

# The design, written out independently of the tables it checks.
EXPECTED = {
    COMPANY_WORKFLOW: {
        **{(s, "edit"): s for s in (C.DRAFT, C.REVISION_REQUESTED, C.EXPIRED)},
        **{(s, "submit"): C.SUBMITTED for s in (C.DRAFT, C.REVISION_REQUESTED, C.EXPIRED)},
        (C.SUBMITTED, "review_documents"): C.SUBMITTED,
        (C.SUBMITTED, "verify"): C.VERIFIED,
        (C.SUBMITTED, "request_revision"): C.REVISION_REQUESTED,
        (C.SUBMITTED, "reject"): C.REJECTED,
        (C.VERIFIED, "expire"): C.EXPIRED,
        (C.VERIFIED, "cooperate"): C.VERIFIED,
    },
    DOCUMENT_WORKFLOW: {
        **{(s, "accept"): D.ACCEPTED for s in (D.UPLOADED, D.ACCEPTED, D.REJECTED)},
        **{(s, "reject"): D.REJECTED for s in (D.UPLOADED, D.ACCEPTED, D.REJECTED)},
        **{(s, "expire"): D.EXPIRED for s in (D.UPLOADED, D.ACCEPTED, D.REJECTED)},
    },
    AGREEMENT_WORKFLOW: {
        (A.DRAFT, "sign"): A.DRAFT,
        (A.DRAFT, "activate"): A.ACTIVE,
        (A.ACTIVE, "close"): A.CLOSED,
        (A.ACTIVE, "issue_orders"): A.ACTIVE,
        (A.ACTIVE, "accept_orders"): A.ACTIVE,
    },
    ORDER_WORKFLOW: {
        (O.ISSUED, "accept"): O.ACCEPTED,
        (O.ISSUED, "decline"): O.DECLINED,
        (O.ISSUED, "cancel"): O.CANCELLED,
        (O.ACCEPTED, "cancel"): O.CANCELLED,
        (O.ACCEPTED, "prove"): O.ACCEPTED,
        (O.ACCEPTED, "review_proof"): O.ACCEPTED,
        (O.ACCEPTED, "complete"): O.COMPLETED,
    },
    SLOT_WORKFLOW: {
        (S.PENDING, "submit"): S.SUBMITTED,
        (S.REJECTED, "submit"): S.SUBMITTED,
        (S.SUBMITTED, "accept"): S.ACCEPTED,
        (S.SUBMITTED, "reject"): S.REJECTED,
    },
    INVOICE_WORKFLOW: {
        (I.SUBMITTED, "return"): I.RETURNED,
        (I.RETURNED, "resubmit"): I.SUBMITTED,
        (I.SUBMITTED, "approve"): I.APPROVED,
        **{(s, "cancel"): I.CANCELLED for s in (I.SUBMITTED, I.RETURNED, I.APPROVED)},
        (I.APPROVED, "file_spp"): I.SPP_FILED,
        (I.SPP_FILED, "issue_spm"): I.SPM_ISSUED,
        (I.SPM_ISSUED, "pay"): I.PAID,
        (I.PAID, "sp2d_returned"): I.SPM_ISSUED,
        (I.PAID, "deposit_taxes"): I.PAID,
    },
    RATE_LINE_WORKFLOW: {
        (L.NEW, "propose"): L.PROPOSED,
        (L.PROPOSED, "propose"): L.PROPOSED,
        (L.COUNTERED, "propose"): L.PROPOSED,
        (L.PROPOSED, "counter"): L.COUNTERED,
        (L.PROPOSED, "accept_proposal"): L.AGREED,
        (L.COUNTERED, "accept_counter"): L.AGREED,
    },
    MAIL_WORKFLOW: {
        (M.QUEUED, "claim"): M.QUEUED,
        (M.QUEUED, "deliver"): M.SENT,
        (M.QUEUED, "retry_later"): M.QUEUED,
        (M.QUEUED, "give_up"): M.FAILED,
        (M.QUEUED, "suppress"): M.SUPPRESSED,
        (M.SENT, "bounce"): M.BOUNCED,
        **{(s, "resend"): M.QUEUED for s in (M.FAILED, M.SUPPRESSED, M.BOUNCED)},
    },
    SUBSCRIPTION_WORKFLOW: {
        (B.PENDING, "confirm"): B.CONFIRMED,
        (B.PENDING, "change_pending"): B.PENDING,
    },
}


def test_every_declared_workflow_is_checked_here():
    assert {w.name for w in REGISTRY} == {w.name for w in EXPECTED}


@pytest.mark.parametrize("workflow", list(EXPECTED), ids=lambda w: w.name)
def test_the_table_is_the_design(workflow):
    assert workflow.transitions() == EXPECTED[workflow]


def every_pair():
    for workflow in EXPECTED:
        for state in workflow.states:
            for verb in workflow.verbs:
                yield pytest.param(workflow, state, verb, id=f"{workflow.name}-{state.value}-{verb}")


@pytest.mark.parametrize("workflow,state,verb", list(every_pair()))
def test_every_state_and_verb(workflow, state, verb):
    legal = EXPECTED[workflow]
    context = {"number": "PKS/1/2027"}
    if (state, verb) in legal:
        assert workflow.allows(state, verb)
        assert workflow.target(state, verb, **context) == legal[(state, verb)]
        assert verb in workflow.verbs_from(state)
    else:
        assert not workflow.allows(state, verb)
        with pytest.raises(TransitionRefused) as refused:
            workflow.target(state, verb, **context)
        assert refused.value.status == 409
        assert refused.value.code == workflow.verbs[verb].code
        message = refused.value.message
        assert "{" not in message and message[0].isupper() and message.endswith(".")
        if "{state}" in workflow.verbs[verb].refusal:
            assert state.label in message  # it says which state refused, in words


def test_an_unknown_verb_is_a_programming_error_not_a_refusal():
    with pytest.raises(ValueError):
        ORDER_WORKFLOW.target(O.ISSUED, "publish")


def test_a_workflow_refuses_to_be_declared_with_a_verb_twice_or_a_foreign_state():
    with pytest.raises(ValueError):
        Workflow.of("broken", OrderStatus, Verb("a", {O.ISSUED}, None, "X", "X."), Verb("a", {O.ISSUED}, None, "X", "X."))
    with pytest.raises(ValueError):
        Workflow.of("broken", OrderStatus, Verb("a", {S.PENDING}, O.ISSUED, "X", "X."))

