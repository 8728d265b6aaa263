package io.jpod.state.memory.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.Pod;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** The pods, by ID, each with the IDs of its member containers (as libpod's pod bucket holds its containers). */
final class PodRecords extends Records<Pod> {
    private final Map<String, Set<String>> members = new HashMap<>();

    PodRecords(Namespace namespace) {
        super(namespace, "pod", "ID", ErrorCode.NO_SUCH_POD, Pod::id, Pod::namespace);
    }

    @Override
    void put(Pod pod) {
        super.put(pod);
        members.computeIfAbsent(pod.id(), k -> new LinkedHashSet<>());
    }

    @Override
    void remove(String id) {
        super.remove(id);
        members.remove(id);
    }

    void addMember(String podId, String ctrId) {
        members.computeIfAbsent(podId, k -> new LinkedHashSet<>()).add(ctrId);
    }

    void removeMember(String podId, String ctrId) {
        Set<String> of = members.get(podId);
        if (of != null) {
            of.remove(ctrId);
        }
    }

    /** The member IDs in the order they joined; a view. */
    Set<String> members(String podId) {
        return Collections.unmodifiableSet(members.getOrDefault(podId, Set.of()));
    }
}
