/**
 * Failures as values: the message IDs ({@link io.github.oauth2mail.failure.MessageId}) with their kind and advice,
 * the {@link io.github.oauth2mail.failure.MailFailure} every adapter exception implements, and the one advice table.
 * The bottom package: it depends on no other package of the adapter, so every layer can use it.
 */
package io.github.oauth2mail.failure;
