// Why a sign-in through the organisation's identity provider failed, in words: the server sends
// the user back to /signin?error=<code> (DESIGN.md §3), and each code says what to do next.
// The sign-in page never starts a new attempt by itself, so a failing provider cannot loop.

const TRY_AGAIN = 'Try again with the button below.';
const ASK_ADMIN = 'If it happens again, tell a registry administrator.';

const MESSAGES = new Map<string, string>(
  Object.entries({
    access_denied: `The sign-in was cancelled at your organisation's sign-in page. ${TRY_AGAIN}`,
    provider_error: `Your organisation's sign-in service reported a problem and did not sign you in. ${TRY_AGAIN} ${ASK_ADMIN}`,
    invalid_callback: `The answer from your organisation's sign-in service was incomplete. ${TRY_AGAIN}`,
    state_mismatch: `This sign-in was not started in this browser, or was started twice. ${TRY_AGAIN}`,
    login_expired: `The sign-in took too long and expired. ${TRY_AGAIN}`,
    provider_unavailable: "Your organisation's sign-in service did not answer. Try again in a few minutes.",
    provider_misconfigured: "Sign-in through your organisation is not set up correctly here. Tell a registry administrator; until it is fixed, this way of signing in will not work.",
    token_exchange_failed: `The Registry could not complete the sign-in with your organisation's sign-in service. ${TRY_AGAIN} ${ASK_ADMIN}`,
    invalid_id_token: `Your organisation's sign-in service sent an answer the Registry could not verify. ${TRY_AGAIN} ${ASK_ADMIN}`,
    nonce_mismatch: `The answer from your organisation's sign-in service did not belong to this sign-in. ${TRY_AGAIN}`,
    claim_missing: "Your organisation's sign-in service did not tell the Registry your user name. Ask a registry administrator to check the sign-in settings.",
    account_conflict: 'Your user name already belongs to another account in the Registry. Ask a registry administrator to sort it out.',
    account_deactivated: 'This account is deactivated. Ask a registry administrator.',
  }),
);

const FALLBACK = `The sign-in through your organisation did not succeed. ${TRY_AGAIN} ${ASK_ADMIN}`;

/** The message for an `error` code from the identity provider sign-in; null when there is none. */
export function signInErrorMessage(code: string | null): string | null {
  if (code === null) return null;
  return MESSAGES.get(code) ?? FALLBACK;
}
