package dev.afk.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupRoleAugmentorTests {

    private final GroupRoleAugmentor augmentor = new GroupRoleAugmentor(new SecurityConfig() {
        @Override
        public String groupsClaim() {
            return "groups";
        }

        @Override
        public Set<String> adminGroups() {
            return Set.of("Home Server Admins");
        }

        @Override
        public Set<String> operatorGroups() {
            return Set.of("ops");
        }

        @Override
        public Set<String> viewerGroups() {
            return Set.of("readers");
        }

        @Override
        public Duration issuedAtLeeway() {
            return Duration.ofSeconds(60);
        }

        @Override
        public boolean requireVerifiedEmail() {
            return true;
        }
    });

    @Test
    void highestRoleBringsTheOnesBelow() {
        assertThat(augmentor.rolesFor(List.of("Home Server Admins"))).containsExactly("viewer", "operator", "admin");
        assertThat(augmentor.rolesFor(List.of("readers", "ops"))).containsExactly("viewer", "operator");
        assertThat(augmentor.rolesFor(List.of("readers"))).containsExactly("viewer");
    }

    @Test
    void unmappedGroupsAndUnknownRolesGrantNothing() {
        assertThat(augmentor.rolesFor(List.of("admin", "viewer"))).isEmpty();
        assertThat(augmentor.rolesFor(List.of())).isEmpty();
    }
}
