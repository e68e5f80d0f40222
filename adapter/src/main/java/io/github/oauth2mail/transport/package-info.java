/**
 * How a token reaches the wire.
 * <ul>
 *   <li>{@link io.github.oauth2mail.transport.SmtpConnection}: one physical SMTP submission connection, spoken by the
 *       adapter itself (JDK sockets + public Jakarta Mail API): TLS (implicit, or STARTTLS which is then required) with
 *       the server identity checked, SASL XOAUTH2 or OAUTHBEARER with RFC 4954 line-length handling and the OAuth2
 *       error challenge, one retry with a fresh token, and send failures that say whether a retry is safe.</li>
 *   <li>{@link io.github.oauth2mail.transport.OAuth2ImapStore}: the {@code imap}/{@code imaps} store; XOAUTH2 with a
 *       fresh token on every connect, everything else delegated to the Jakarta Mail implementation's own store.</li>
 * </ul>
 * Nothing here links against Angus Mail (Open Liberty hides it from resource adapters), and nothing knows about JCA.
 */
package io.github.oauth2mail.transport;
