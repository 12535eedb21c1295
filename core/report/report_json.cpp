#include "report_json.h"

namespace codesign {

void writeDeviceJson(JsonWriter& w, const Device& device) {
    w.beginObject();
    w.field("name", device.name);
    w.field("part", device.part);
    w.field("dsp", device.dsp);
    w.field("bram18", device.bram18);
    w.field("lut", device.lut);
    w.field("ff", device.ff);
    w.endObject();
}

void writeResourcesJson(JsonWriter& w, const Resources& used) {
    w.beginObject();
    w.field("dsp", used.dsp);
    w.field("bram18", used.bram18);
    w.field("lut", used.lut);
    w.field("ff", used.ff);
    w.endObject();
}

} // namespace codesign
