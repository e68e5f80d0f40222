package io.github.oauth2mail.sample;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** REST endpoints under {@code /api}. */
@ApplicationPath("api")
public class MailApplication extends Application {
}
