#!/usr/bin/env bash
# Payara Server (domain mode): serve mail/office365 through the OAuth2 mail connector, the same wiring as
# post-boot-connector.asadmin (Payara Micro), against a running DAS. Run it once per domain; it is not re-runnable
# (delete the resource, the pool and the application first). PayaraServerDomainIT runs it on a new Payara Server
# 6.2025.10 domain (generic OAuth2 settings, a trust store of its own, both aliases from files).
#
#   Entra ID (Exchange Online):
#     TENANT_ID=<directory id> CLIENT_ID=<application id> MAILBOX=app@contoso.com \
#       ./payara-server-domain.sh /path/to/oauth2-mail-adapter-0.1.0-SNAPSHOT.rar
#   any OAuth2 token endpoint (README's settings table; docs/servers.md's generic example):
#     PROVIDER=oauth2 TOKEN_ENDPOINT=https://idp.example.com/oauth2/token CLIENT_ID=mail-sender SCOPE=mail.send \
#     MAILBOX=app@example.com SMTP_HOST=smtp.example.com SMTP_PORT=465 SMTP_TLS=implicit \
#     IMAP_HOST=imap.example.com IMAP_PORT=993 ./payara-server-domain.sh /path/to/oauth2-mail-adapter.rar
#
# Non-secret settings are MicroProfile Config properties of the domain (set-config-property --source domain).
# Secrets are password aliases: Payara's "password" config source (ordinal 105) hands an alias named
# oauth2mail.<name>.client-secret to MicroProfile Config as that key. create-password-alias prompts for the value,
# or reads it from a password file (a line AS_ADMIN_ALIASPASSWORD=...): CLIENT_SECRET_FILE (and
# TRUST_STORE_PASSWORD_FILE) name one file per alias, or ASADMIN_OPTS="--interactive=false --passwordfile f" gives one
# file to every command (then for the client secret only: asadmin takes one --passwordfile; the script refuses to mix
# the two). A DAS with an admin password and *_FILE variables: run `asadmin login` first, which keeps the credentials
# for later commands (not tested here: the test's domain has no admin password). No secret is ever a literal in this
# script or on a command line. An alias that exists already is kept (update-password-alias changes it). Environment
# variables (OAUTH2MAIL_<NAME>_CLIENT_SECRET) in the server's environment work as well.
#
# Variables (defaults in brackets):
#   ASADMIN [asadmin]   ASADMIN_OPTS [] (e.g. "--host das --port 4848 --user admin --passwordfile pw.txt")
#   CONFIG_NAME [office365]  JNDI_NAME [mail/office365]  TARGET [server]
#   PROVIDER [entra]   CLIENT_ID, MAILBOX (required)
#   entra: TENANT_ID (required)   SCOPE [https://outlook.office365.com/.default]
#   oauth2: TOKEN_ENDPOINT, SCOPE (required)
#   optional (README's defaults are Exchange Online's): SMTP_HOST SMTP_PORT SMTP_TLS IMAP_HOST IMAP_PORT
#   TRUST_STORE_PATH (a PKCS12 trust store for the mail servers and the token endpoint; its password becomes the
#     alias oauth2mail.<name>.trust-store-password)
#   CLIENT_SECRET_FILE, TRUST_STORE_PASSWORD_FILE (password files for the two aliases; without them asadmin prompts)
set -euo pipefail

rar=${1:?usage: $0 /path/to/oauth2-mail-adapter.rar}
asadmin=(${ASADMIN:-asadmin} ${ASADMIN_OPTS:-})
name=${CONFIG_NAME:-office365}
jndi=${JNDI_NAME:-mail/office365}
target=${TARGET:-server}
pool="oauth2-mail-${name}-pool"
provider=${PROVIDER:-entra}
: "${CLIENT_ID:?set CLIENT_ID (application id of the app registration / the OAuth2 client id)}"
: "${MAILBOX:?set MAILBOX (the mailbox the app sends as)}"
case "$provider" in
    entra)
        : "${TENANT_ID:?set TENANT_ID (Entra directory id)}"
        scope=${SCOPE:-https://outlook.office365.com/.default} ;;
    oauth2)
        : "${TOKEN_ENDPOINT:?set TOKEN_ENDPOINT (the OAuth2 token endpoint, https)}"
        : "${SCOPE:?set SCOPE (the scopes the mail server expects in its tokens)}"
        scope=$SCOPE ;;
    *) echo "PROVIDER must be entra or oauth2, not '$provider'" >&2; exit 2 ;;
esac
# asadmin takes one --passwordfile: ASADMIN_OPTS's serves one alias (the client secret's) at most
case " ${ASADMIN_OPTS:-} " in *" --passwordfile "* | *" -W "*)
    if [ -n "${CLIENT_SECRET_FILE:-}${TRUST_STORE_PASSWORD_FILE:-}" ]; then
        echo "give the aliases' password files either as ASADMIN_OPTS --passwordfile or as *_FILE variables, not both" >&2
        exit 2
    elif [ -n "${TRUST_STORE_PATH:-}" ]; then
        echo "ASADMIN_OPTS's --passwordfile is the client secret's: set TRUST_STORE_PASSWORD_FILE and CLIENT_SECRET_FILE" >&2
        exit 2
    fi ;;
esac

# 1. the connector: the module name oauth2-mail is what the pool refers to
"${asadmin[@]}" deploy --type rar --name oauth2-mail --target "$target" "$rar"

# 2. non-secret settings (MicroProfile Config keys oauth2mail.<name>.*, README's settings table)
set_key() { "${asadmin[@]}" set-config-property --source domain --propertyName "oauth2mail.${name}.$1" --propertyValue "$2"; }
set_key provider "$provider"
if [ "$provider" = entra ]; then
    set_key tenant-id "$TENANT_ID"
else
    set_key token-endpoint "$TOKEN_ENDPOINT"
fi
set_key client-id "$CLIENT_ID"
set_key mailbox "$MAILBOX"
set_key scope "$scope"
for setting in SMTP_HOST:smtp.host SMTP_PORT:smtp.port SMTP_TLS:smtp.tls IMAP_HOST:imap.host IMAP_PORT:imap.port \
        TRUST_STORE_PATH:trust-store-path; do
    variable=${setting%%:*}
    if [ -n "${!variable:-}" ]; then
        set_key "${setting#*:}" "${!variable}"
    fi
done

# 3. the secrets, as password aliases named like their MicroProfile Config keys
alias_secret() { # <key> <what> <password file or empty>
    local alias="oauth2mail.${name}.$1"
    if "${asadmin[@]}" list-password-aliases | grep -qx "$alias"; then
        echo "password alias $alias exists (update it with: asadmin update-password-alias $alias)"
    elif [ -n "$3" ]; then
        AS_ADMIN_PASSWORDFILE="$3" "${asadmin[@]}" --interactive=false create-password-alias "$alias"
    else
        echo "Enter $2 (stored encrypted as password alias $alias):"
        "${asadmin[@]}" create-password-alias "$alias"
    fi
}
alias_secret client-secret "the client secret of app ${CLIENT_ID}" "${CLIENT_SECRET_FILE:-}"
if [ -n "${TRUST_STORE_PATH:-}" ]; then
    alias_secret trust-store-password "the password of ${TRUST_STORE_PATH}" "${TRUST_STORE_PASSWORD_FILE:-}"
fi
# For a certificate credential instead: set_key certificate-path /path/to/app.p12 and a password alias
# oauth2mail.<name>.certificate-password.

# 4. the pool (at most 3 physical SMTP connections per mailbox: Exchange Online's limit) and the JNDI name the app uses
"${asadmin[@]}" create-connector-connection-pool --raname oauth2-mail --connectiondefinition jakarta.mail.Session \
    --steadypoolsize 0 --maxpoolsize 3 --poolresize 1 --idletimeout 300 --maxwait 30000 --isconnectvalidatereq false \
    --property "ConfigName=${name}" "$pool"
"${asadmin[@]}" create-connector-resource --poolname "$pool" --target "$target" "$jndi"

echo "${jndi} now authenticates with XOAUTH2 for ${MAILBOX}; redeploy or restart the apps that use it."
