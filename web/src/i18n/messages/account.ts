// Strings of the account area (see ../index.ts): sign up / sign in, my
// account and API tokens, invitations, agencies. English first; the Chinese
// table is typed against it, so a missing translation does not compile.
export const en = {
  // Sign up / sign in (the "Sign in" / "Sign up" words themselves are auth.* in shell.ts).
  'account.signup.heading': 'Create your account',
  'account.signup.lead': 'Watch live shows, buy from farms and makers, open your own shop.',
  'account.signup.haveAccount': 'Already have an account?',
  'account.signin.newHere': 'New here?',
  'account.signin.createAccount': 'Create an account',
  'account.field.displayName': 'Display name',
  'account.field.email': 'Email',
  'account.field.password': 'Password',
  'account.field.passwordHint': 'At least 8 characters.',

  // My account.
  'account.title': 'Account',
  'account.memberSince': 'Member since {date}',
  'account.becomeHost': 'Become a host',
  'account.becomeHostHint': "Hosts sell other shops' products live and earn their commission.",
  // Role badges; the English is what label(role) printed before translation.
  'account.role.viewer': 'Viewer',
  'account.role.host': 'Host',
  'account.role.shop_owner': 'Shop owner',
  'account.role.shop_staff': 'Shop staff',
  'account.role.mcn_manager': 'Mcn manager',
  'account.role.admin': 'Admin',

  // API tokens.
  'account.tokens.title': 'API tokens',
  'account.tokens.lead': 'For programs that call the API with an Authorization: Bearer header.',
  'account.tokens.copyNow': 'Copy the token now: it is not shown again.',
  'account.tokens.empty': 'No tokens.',
  'account.tokens.created': 'created {date}',
  'account.tokens.lastUsed': 'last used {date}',
  'account.tokens.neverUsed': 'never used',
  'account.tokens.revoke': 'Revoke',
  'account.tokens.revokeConfirm': 'Revoke this token? Programs using it stop working.',
  'account.tokens.name': 'New token name',
  'account.tokens.namePlaceholder': 'inventory sync',
  'account.tokens.create': 'Create token',

  // Invitations to me.
  'account.invitations.title': 'Invitations',
  'account.invitations.staff': 'Shop staff',
  'account.invitations.staffEmpty': 'No shop has invited you.',
  'account.invitations.invitesAs': 'invites you as {role}',
  'account.invitations.agencies': 'Agencies',
  'account.invitations.agenciesEmpty': 'No agency has offered you an agreement.',
  'account.invitations.keeps': 'keeps {share} of your commission',
  'account.invitations.accept': 'Accept',
  'account.invitations.decline': 'Decline',
  // Shop roles an invitation offers, written inside a sentence.
  'account.shopRole.staff': 'staff',
  'account.shopRole.owner': 'owner',

  // Agencies (MCNs).
  'account.agencies.title': 'Agencies',
  'account.agencies.introSlots':
    'An agency (MCN) represents live hosts and keeps a share of the commission they earn. Invitations to join an agency as a host are on your {invitations} page.',
  'account.agencies.introLink': 'Invitations',
  'account.agencies.mine': 'Agencies you manage',
  'account.agencies.mineEmpty': 'You manage no agency.',
  'account.agencies.since': 'since {date}',
  'account.agencies.create': 'Create an agency',
  'account.agencies.name': 'Agency name',
  'account.agencies.createSubmit': 'Create agency',
  'account.agency.title': 'Agency',
  'account.agency.roster': 'Roster',
  'account.agency.rosterEmpty': 'No hosts yet. Invite one below.',
  'account.agency.colHost': 'Host',
  'account.agency.colShare': 'Agency share',
  'account.agency.colStatus': 'Status',
  'account.agency.colSince': 'Since',
  'account.agency.end': 'End',
  'account.agency.endConfirm': 'End the agreement with {name}?',
  'account.agency.invite': 'Invite a host',
  'account.agency.hostEmail': "Host's email",
  'account.agency.hostEmailHint': 'They need a liveshop account.',
  'account.agency.share': 'Agency share of commission (%)',
  'account.agency.shareInvalid': 'enter the agency share in percent, 0 to 100',
  'account.agency.send': 'Send invitation',
  'account.agency.rosterCaption': 'GMV and commission: the last 30 days of live selling.',
  'account.agency.colGmv': 'GMV',
  'account.agency.colCommission': 'Host commission',
  'account.agency.colActions': 'Actions',
  'account.agency.endWith': 'End the agreement with {name}',
};
