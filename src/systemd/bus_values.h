// Conversions between podlet's pure data and sdbus-c++ values. Internal to the
// systemd layer: nothing outside src/systemd sees sdbus types.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "systemd/manager.h"
#include "systemd/properties.h"

namespace podlet::systemd {

using BusProperty = sdbus::Struct<std::string, sdbus::Variant>;
using BusProperties = std::map<std::string, sdbus::Variant>;

sdbus::Variant to_variant(const PropertyValue& value);
std::vector<BusProperty> to_bus_properties(const std::vector<Property>& properties);

// Fills the fields of `status` found in a GetAll() answer of the Unit or Service interface.
void read_unit_properties(const BusProperties& properties, UnitStatus& status);

}  // namespace podlet::systemd
