/**
 * How a token reaches the wire.
 * <ul>
 *   <li>{@link io.github.oauth2mail.transport.SmtpConnection}: one physical SMTP submission connection, spoken by the
 *       adapter itself (JDK sockets + public Jakarta Mail API): TLS (implicit, or STARTTLS which is then required) with
 *       the server identity checked, SASL XOAUTH2 or OAUTHBEARER with RFC 4954 line-length handling and the OAuth2
 *       error challenge, one retry with a fresh token, and send failures that say whether a retry is safe.</li>
 *   <li>{@link io.github.oauth2mail.transport.OAuth2ImapStore}: the {@code imap}/{@code imaps} store. The adapter opens
 *       and authenticates every IMAP connection itself ({@code ImapLogin}: TLS, XOAUTH2 or OAUTHBEARER with the same
 *       line-length and error-challenge handling as SMTP, a current token) and hands it, pre-authenticated, to the
 *       Jakarta Mail implementation's own IMAP store through its public socket-factory property.</li>
 *   <li>{@link io.github.oauth2mail.transport.OAuth2Pop3Store}: the {@code pop3}/{@code pop3s} store, the same way:
 *       the adapter authenticates each POP3 connection ({@code Pop3Login}) and hands it to the implementation's own
 *       POP3 store, which gets a synthetic greeting and login ({@code Pop3Handover}).</li>
 * </ul>
 * Nothing here links against Angus Mail (Open Liberty hides it from resource adapters), and nothing knows about JCA.
 */
package io.github.oauth2mail.transport;
