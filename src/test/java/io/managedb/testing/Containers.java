package io.managedb.testing;

import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** Testcontainers, touched only when MANAGE_DB_TEST_IMAGE asks for it (it needs a Docker engine). */
final class Containers {
    private Containers() {
    }

    static TestServer start(String image) {
        PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse(image)
                .asCompatibleSubstituteFor("postgres"));
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return TestServer.of(container.getHost(), container.getMappedPort(5432), container.getUsername(),
                container.getPassword());
    }
}
