package io.github.oauth2mail.it.liberty;

import io.github.oauth2mail.it.servers.BasicAuthDocScenarios;
import io.github.oauth2mail.it.servers.DocSetup;

/**
 * docs/migrating.md on Liberty, run as written on a fresh unzip: the block marked {@code liberty-basic-auth} (the server's
 * own mail session with a password), then {@code liberty-switch} to the connector.
 */
class LibertyBasicAuthDocIT extends BasicAuthDocScenarios {

    @Override
    protected DocSetup.Kind kind() {
        return DocSetup.Kind.LIBERTY;
    }
}
