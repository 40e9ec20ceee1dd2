package org.opentwag.dashboard.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DashboardServletTest {

    @Test
    void rolesFromACfgStringOrAnArray() {
        assertThat(DashboardServlet.roles(new String[]{"admin, viewer"})).containsExactly("admin", "viewer");
        assertThat(DashboardServlet.roles(new String[]{"admin", "viewer", ""})).containsExactly("admin", "viewer");
        assertThat(DashboardServlet.roles(null)).isEmpty();
    }
}
