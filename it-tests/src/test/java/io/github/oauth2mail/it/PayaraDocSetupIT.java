package io.github.oauth2mail.it;

import io.github.oauth2mail.it.servers.DocSetup;
import io.github.oauth2mail.it.servers.DocSetupScenarios;

/**
 * Payara Micro from its jar alone, set up by docs/payara.md as written: the block marked {@code payara-post-boot} is
 * the {@code post-boot.asadmin} the block marked {@code payara-start} names, with docs/servers.md's
 * {@code oauth2-settings} in the same shell.
 */
class PayaraDocSetupIT extends DocSetupScenarios {

    @Override
    protected DocSetup.Kind kind() {
        return DocSetup.Kind.PAYARA;
    }
}
