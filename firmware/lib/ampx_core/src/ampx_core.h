// The whole firmware core, for `#include <ampx_core.h>`.
#pragma once

#include "ampx_aggregate.h"
#include "ampx_crc.h"
#include "ampx_decode.h"
#include "ampx_identity.h"
#include "ampx_json.h"
#include "ampx_limits.h"
#include "ampx_modbus.h"
#include "ampx_payload.h"
#include "ampx_platform.h"
#include "ampx_ring.h"
#include "ampx_sampler.h"
#include "ampx_scheduler.h"
#include "ampx_site.h"
#include "ampx_storage.h"
#include "ampx_types.h"
