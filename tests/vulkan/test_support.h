#pragma once
#include <gtest/gtest.h>

#include <cstdlib>

// Vulkan tests run with validation layers on; every test checks that none reported an error.
inline void enableValidationForTests() { ::setenv("FIELDSCOPE_VALIDATION", "1", 1); }
