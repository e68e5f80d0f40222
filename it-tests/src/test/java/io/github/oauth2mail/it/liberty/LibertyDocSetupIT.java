package io.github.oauth2mail.it.liberty;

import io.github.oauth2mail.it.servers.DocSetup;
import io.github.oauth2mail.it.servers.DocSetupScenarios;

/**
 * Open Liberty from a fresh unzip, set up by the blocks of docs/servers.md marked {@code liberty-setup},
 * {@code oauth2-settings} and {@code liberty-start}, run as written.
 */
class LibertyDocSetupIT extends DocSetupScenarios {

    @Override
    protected DocSetup.Kind kind() {
        return DocSetup.Kind.LIBERTY;
    }
}
