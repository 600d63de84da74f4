// The kinds of email Auth sends, as Supabase names its templates. A leaf module: the config
// (subject overrides), the templates and Auth's flows all name kinds from this one list.
export const MAIL_KINDS = ['confirmation', 'recovery', 'magic_link', 'invite', 'reauthentication', 'email_change'] as const;

export type MailKind = (typeof MAIL_KINDS)[number];
