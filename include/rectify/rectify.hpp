#pragma once
/// The umbrella header: everything `rectify` offers.
#include "rectify/assess/engine.hpp"
#include "rectify/assess/scheme.hpp"
#include "rectify/core/error.hpp"
#include "rectify/core/table.hpp"
#include "rectify/io/csv.hpp"
#include "rectify/io/results.hpp"
#include "rectify/io/scheme_json.hpp"
