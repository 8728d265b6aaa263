package io.jpod.config;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.config.RuntimeOptions;
import org.junit.Test;

import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

public class RuntimeOptionsParserTest {

    @Test
    public void everyKey() {
        Map<String, Object> p = new HashMap<>();
        p.put("storage.driver", "vfs");
        p.put("storage.graphroot", "/g");
        p.put("storage.runroot", "/r");
        p.put("engine.database_backend", "memory");
        p.put("engine.runtime", "runc");
        p.put("engine.events_logger", "none");
        p.put("engine.lock_type", "file");
        p.put("engine.tmp_dir", "/t");
        p.put("engine.static_dir", "/s");
        p.put("engine.volume_path", "/v");
        p.put("engine.namespace", "ns");
        p.put("renumber", Boolean.TRUE);
        p.put("migrate", "true");
        p.put("migrate_runtime", "crun");
        assertEquals(new RuntimeOptions("vfs", "/g", "/r", "memory", "runc", "none", "file", "/t", "/s", "/v", "ns",
                true, true, "crun"), RuntimeOptionsParser.fromProperties(p));
    }

    @Test
    public void blankAndMissingAreNotSetAndOtherKeysAreIgnored() {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("storage.driver", "  ");
        p.put("engine.runtime", "");
        p.put("renumber", "");
        p.put("migrate", " FALSE ");
        p.put("component.name", "io.jpod.runtime");
        p.put("service.pid", 42);
        p.put("jpod.conf", "/x");
        assertEquals(RuntimeOptions.NONE, RuntimeOptionsParser.fromProperties(p));
        assertSame(RuntimeOptions.NONE, RuntimeOptionsParser.fromProperties(Map.of()));
        assertSame(RuntimeOptions.NONE, RuntimeOptionsParser.fromProperties(null));
    }

    @Test
    public void valuesAreTrimmed() {
        RuntimeOptions o = RuntimeOptionsParser.fromProperties(Map.of("engine.tmp_dir", " /t ", "renumber", "True"));
        assertEquals("/t", o.tmpDir());
        assertEquals(true, o.renumber());
        assertEquals(true, o.sets("tmpDir"));
        assertEquals(false, o.sets("staticDir"));
    }

    @Test
    public void wrongKindsAreErrorsNamingTheKey() {
        JpodException e = assertThrows(JpodException.class,
                () -> RuntimeOptionsParser.fromProperties(Map.of("renumber", "yes")));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals("property renumber = yes is invalid: renumber must be true or false", e.getMessage());
        e = assertThrows(JpodException.class, () -> RuntimeOptionsParser.fromProperties(Map.of("migrate", 1)));
        assertEquals("property migrate = 1 is invalid: migrate must be true or false", e.getMessage());
        e = assertThrows(JpodException.class,
                () -> RuntimeOptionsParser.fromProperties(Map.of("engine.static_dir", Boolean.TRUE)));
        assertEquals("property engine.static_dir = true is invalid: engine.static_dir must be a string, not Boolean",
                e.getMessage());
    }

    @Test
    public void parsedOptionsDriveTheLoader() {
        RuntimeOptions o = RuntimeOptionsParser.fromProperties(Map.of("engine.static_dir", "/s",
                "storage.driver", "vfs", "engine.database_backend", "memory"));
        LoadedConfig l = ConfigLoader.of(java.util.List.of()).load(o);
        assertEquals("/s", l.config().engine().staticDir());
        assertEquals("memory", l.config().engine().databaseBackend());
        assertEquals(java.util.Set.of("staticDir", "graphDriver"), l.explicitDbFields());
    }
}
