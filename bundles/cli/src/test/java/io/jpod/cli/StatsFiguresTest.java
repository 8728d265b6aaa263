package io.jpod.cli;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.Test;

/** podman 4.3's stats columns, from libpod's reading, as its table and JSON print them. */
public class StatsFiguresTest {

    @Test
    public void durationsAsGosDurationString() {
        assertEquals("0s", StatsFigures.duration(0));
        assertEquals("999ns", StatsFigures.duration(999));
        assertEquals("1.5µs", StatsFigures.duration(1500));
        assertEquals("143.914099ms", StatsFigures.duration(143_914_099));
        assertEquals("1s", StatsFigures.duration(1_000_000_000));
        assertEquals("1m2.003s", StatsFigures.duration(62_003_000_000L));
        assertEquals("1h0m0s", StatsFigures.duration(3_600_000_000_000L));
    }

    @Test
    public void sizesAsGoUnitsHumanSize() {
        assertEquals("0B", StatsFigures.humanSize(0));
        assertEquals("542B", StatsFigures.humanSize(542));
        assertEquals("1.016kB", StatsFigures.humanSize(1016));
        assertEquals("20.59MB", StatsFigures.humanSize(20_594_688));
        assertEquals("67.11MB", StatsFigures.humanSize(64 << 20));
        assertEquals("64MiB", StatsFigures.bytesSize(64 << 20));
        assertEquals("0.00%", StatsFigures.percent(0));
        assertEquals("30.69%", StatsFigures.percent(30.6884765625));
    }

    @Test
    public void rowOfAReading() throws Exception {
        JsonNode s = Api.JSON.readTree("{\"AvgCPU\":1.53,\"ContainerID\":\"d9d023ea2312c5235e9b260d330c92728cc3437ab97d1e9e"
                + "292f7aaa1da9208f\",\"Name\":\"st1\",\"PerCPU\":[1,2],\"CPU\":1.534,\"CPUNano\":143914099,"
                + "\"CPUSystemNano\":28000000,\"SystemNano\":1,\"MemUsage\":20594688,\"MemLimit\":67108864,"
                + "\"MemPerc\":30.6884765625,\"NetInput\":1016,\"NetOutput\":542,\"BlockInput\":0,\"BlockOutput\":0,"
                + "\"PIDs\":1,\"UpTime\":143914099,\"Duration\":143914099}");
        Map<String, Object> r = StatsCommand.row(s);
        assertEquals("d9d023ea2312", r.get("ID"));
        assertEquals("st1", r.get("Name"));
        assertEquals("1.53%", r.get("CPUPerc"));
        assertEquals("20.59MB / 67.11MB", r.get("MemUsage"));
        assertEquals("19.64MiB / 64MiB", r.get("MemUsageBytes"));
        assertEquals("30.69%", r.get("MemPerc"));
        assertEquals("1.016kB / 542B", r.get("NetIO"));
        assertEquals("0B / 0B", r.get("BlockIO"));
        assertEquals("1", r.get("PIDS"));
        assertEquals("143.914099ms", r.get("UpTime"));
        assertEquals("1.53%", r.get("AVGCPU"));
        // a template sees libpod's own fields too
        assertEquals(67108864, r.get("MemLimit"));
    }
}
