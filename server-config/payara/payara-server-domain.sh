#!/usr/bin/env bash
# Payara Server (domain mode): serve mail/office365 through the OAuth2 mail connector, the same wiring as
# post-boot-connector.asadmin (Payara Micro), against a running DAS. Run it once per domain; it is not re-runnable
# (delete the resource, the pool and the application first).
#
#   ./payara-server-domain.sh /path/to/oauth2-mail-adapter-0.1.0-SNAPSHOT.rar
#
# Non-secret settings are MicroProfile Config properties of the domain (set-config-property --source domain).
# Secrets are password aliases: Payara's "password" config source (ordinal 105) hands an alias named
# oauth2mail.<name>.client-secret to MicroProfile Config as that key. create-password-alias prompts for the value,
# or reads it from the file given with asadmin --passwordfile (a line AS_ADMIN_ALIASPASSWORD=...): no secret is ever
# a literal in this script or on a command line. Environment variables (OAUTH2MAIL_<NAME>_CLIENT_SECRET) in the
# server's environment work as well.
#
# Variables (defaults in brackets):
#   ASADMIN [asadmin]   ASADMIN_OPTS [] (e.g. "--host das --port 4848 --user admin --passwordfile pw.txt")
#   CONFIG_NAME [office365]  JNDI_NAME [mail/office365]  TARGET [server]
#   TENANT_ID, CLIENT_ID, MAILBOX (required)    SCOPE [https://outlook.office365.com/.default]
set -euo pipefail

rar=${1:?usage: $0 /path/to/oauth2-mail-adapter.rar}
asadmin=(${ASADMIN:-asadmin} ${ASADMIN_OPTS:-})
name=${CONFIG_NAME:-office365}
jndi=${JNDI_NAME:-mail/office365}
target=${TARGET:-server}
pool="oauth2-mail-${name}-pool"
: "${TENANT_ID:?set TENANT_ID (Entra directory id)}"
: "${CLIENT_ID:?set CLIENT_ID (application id of the app registration)}"
: "${MAILBOX:?set MAILBOX (the mailbox the app sends as)}"
scope=${SCOPE:-https://outlook.office365.com/.default}

# 1. the connector: the module name oauth2-mail is what the pool refers to
"${asadmin[@]}" deploy --type rar --name oauth2-mail --target "$target" "$rar"

# 2. non-secret settings (MicroProfile Config keys oauth2mail.<name>.*; Entra ID is the default provider)
set_key() { "${asadmin[@]}" set-config-property --source domain --propertyName "oauth2mail.${name}.$1" --propertyValue "$2"; }
set_key provider entra
set_key tenant-id "$TENANT_ID"
set_key client-id "$CLIENT_ID"
set_key mailbox "$MAILBOX"
set_key scope "$scope"

# 3. the secret, as a password alias named like its MicroProfile Config key (prompts unless --passwordfile is given)
if "${asadmin[@]}" list-password-aliases | grep -qx "oauth2mail.${name}.client-secret"; then
    echo "password alias oauth2mail.${name}.client-secret exists (update it with: asadmin update-password-alias oauth2mail.${name}.client-secret)"
else
    echo "Enter the client secret of app ${CLIENT_ID} (stored encrypted as password alias oauth2mail.${name}.client-secret):"
    "${asadmin[@]}" create-password-alias "oauth2mail.${name}.client-secret"
fi
# For a certificate credential instead: set_key certificate-path /path/to/app.p12 and a password alias
# oauth2mail.<name>.certificate-password. For a custom trust store: set_key trust-store-path ... and an alias
# oauth2mail.<name>.trust-store-password.

# 4. the pool (at most 3 physical SMTP connections per mailbox: Exchange Online's limit) and the JNDI name the app uses
"${asadmin[@]}" create-connector-connection-pool --raname oauth2-mail --connectiondefinition jakarta.mail.Session \
    --steadypoolsize 0 --maxpoolsize 3 --poolresize 1 --idletimeout 300 --maxwait 30000 --isconnectvalidatereq false \
    --property "ConfigName=${name}" "$pool"
"${asadmin[@]}" create-connector-resource --poolname "$pool" --target "$target" "$jndi"

echo "${jndi} now authenticates with XOAUTH2 for ${MAILBOX}; redeploy or restart the apps that use it."
