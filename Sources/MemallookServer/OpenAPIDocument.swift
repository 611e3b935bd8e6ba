/// The OpenAPI 3.1 description of the routes, served at /openapi.json. Kept
/// beside the routes (and copied to docs/openapi.json); a test checks that every
/// route is in it.
enum OpenAPIDocument {
  static let json = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "memallook",
        "version": "1.0.0",
        "description": "A toy memory allocator over HTTP: a heap of N pages of p bytes. Plain text by default (the CLI's replies); JSON with Accept: application/json or ?format=json."
      },
      "servers": [
        {
          "url": "http://127.0.0.1:8080"
        }
      ],
      "security": [
        {},
        {
          "bearer": []
        }
      ],
      "paths": {
        "/new": {
          "post": {
            "summary": "NEW: create the heap",
            "parameters": [
              {
                "name": "p",
                "in": "query",
                "required": false,
                "description": "page size in bytes",
                "schema": {
                  "type": "integer",
                  "minimum": 1
                }
              },
              {
                "name": "N",
                "in": "query",
                "required": false,
                "description": "number of pages",
                "schema": {
                  "type": "integer",
                  "minimum": 1
                }
              },
              {
                "name": "policy",
                "in": "query",
                "required": false,
                "description": "first, next, best or worst",
                "schema": {
                  "type": "string"
                }
              },
              {
                "$ref": "#/components/parameters/format"
              }
            ],
            "responses": {
              "201": {
                "description": "the heap id, HEAP-nnn",
                "content": {
                  "text/plain": {
                    "schema": {
                      "type": "string"
                    }
                  },
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Reply"
                    }
                  }
                }
              },
              "200": {
                "description": "NEW while a heap exists: nothing changed, the existing id",
                "content": {
                  "text/plain": {
                    "schema": {
                      "type": "string"
                    }
                  },
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Reply"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/E400"
              },
              "401": {
                "$ref": "#/components/responses/E401"
              },
              "405": {
                "$ref": "#/components/responses/E405"
              }
            },
            "requestBody": {
              "required": false,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "p": {
                        "type": [
                          "integer",
                          "string"
                        ]
                      },
                      "N": {
                        "type": [
                          "integer",
                          "string"
                        ]
                      },
                      "policy": {
                        "type": [
                          "integer",
                          "string"
                        ]
                      }
                    },
                    "required": []
                  }
                },
                "application/x-www-form-urlencoded": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "p": {
                        "type": [
                          "integer",
                          "string"
                        ]
                      },
                      "N": {
                        "type": [
                          "integer",
                          "string"
                        ]
                      },
                      "policy": {
                        "type": [
                          "integer",
                          "string"
                        ]
                      }
                    },
                    "required": []
                  }
                }
              }
            }
          }
        },
        "/alloc": {
          "post": {
            "summary": "ALLOC: reserve contiguous pages for M bytes",
            "parameters": [
              {
                "name": "M",
                "in": "query",
                "required": false,
                "description": "bytes",
                "schema": {
                  "type": "integer",
                  "minimum": 1
                }
              },
              {
                "$ref": "#/components/parameters/format"
              }
            ],
            "responses": {
              "201": {
                "description": "the tag",
                "content": {
                  "text/plain": {
                    "schema": {
                      "type": "string"
                    }
                  },
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Reply"
                    }
                  }
                }
              },
              "200": {
                "description": "NEW while a heap exists: nothing changed, the existing id",
                "content": {
                  "text/plain": {
                    "schema": {
                      "type": "string"
                    }
                  },
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Reply"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/E400"
              },
              "409": {
                "$ref": "#/components/responses/E409"
              },
              "401": {
                "$ref": "#/components/responses/E401"
              },
              "405": {
                "$ref": "#/components/responses/E405"
              }
            },
            "requestBody": {
              "required": false,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "M": {
                        "type": [
                          "integer",
                          "string"
                        ]
                      }
                    },
                    "required": []
                  }
                },
                "application/x-www-form-urlencoded": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "M": {
                        "type": [
                          "integer",
                          "string"
                        ]
                      }
                    },
                    "required": []
                  }
                }
              }
            }
          }
        },
        "/dealloc": {
          "post": {
            "summary": "DEALLOC: free an allocation",
            "parameters": [
              {
                "name": "tag",
                "in": "query",
                "required": false,
                "description": "the tag",
                "schema": {
                  "type": "string"
                }
              },
              {
                "$ref": "#/components/parameters/format"
              }
            ],
            "responses": {
              "200": {
                "description": "deallocation succeeded",
                "content": {
                  "text/plain": {
                    "schema": {
                      "type": "string"
                    }
                  },
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Reply"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/E400"
              },
              "404": {
                "$ref": "#/components/responses/E404"
              },
              "409": {
                "$ref": "#/components/responses/E409"
              },
              "401": {
                "$ref": "#/components/responses/E401"
              },
              "405": {
                "$ref": "#/components/responses/E405"
              }
            },
            "requestBody": {
              "required": false,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "tag": {
                        "type": [
                          "integer",
                          "string"
                        ]
                      }
                    },
                    "required": []
                  }
                },
                "application/x-www-form-urlencoded": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "tag": {
                        "type": [
                          "integer",
                          "string"
                        ]
                      }
                    },
                    "required": []
                  }
                }
              }
            }
          }
        },
        "/allocations/{tag}": {
          "delete": {
            "summary": "DEALLOC by path",
            "parameters": [
              {
                "$ref": "#/components/parameters/format"
              },
              {
                "name": "tag",
                "in": "path",
                "required": true,
                "schema": {
                  "type": "string"
                }
              }
            ],
            "responses": {
              "200": {
                "description": "deallocation succeeded",
                "content": {
                  "text/plain": {
                    "schema": {
                      "type": "string"
                    }
                  },
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Reply"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/E400"
              },
              "404": {
                "$ref": "#/components/responses/E404"
              },
              "409": {
                "$ref": "#/components/responses/E409"
              },
              "401": {
                "$ref": "#/components/responses/E401"
              },
              "405": {
                "$ref": "#/components/responses/E405"
              }
            }
          }
        },
        "/show": {
          "get": {
            "summary": "SHOW: the grid and the listing",
            "parameters": [
              {
                "name": "width",
                "in": "query",
                "required": false,
                "description": "pages per row, default 16",
                "schema": {
                  "type": "integer",
                  "minimum": 1
                }
              },
              {
                "$ref": "#/components/parameters/format"
              }
            ],
            "responses": {
              "200": {
                "description": "the SHOW text",
                "content": {
                  "text/plain": {
                    "schema": {
                      "type": "string"
                    }
                  },
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Reply"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/E400"
              },
              "409": {
                "$ref": "#/components/responses/E409"
              },
              "401": {
                "$ref": "#/components/responses/E401"
              },
              "405": {
                "$ref": "#/components/responses/E405"
              }
            }
          }
        },
        "/reset": {
          "post": {
            "summary": "RESET: forget the heap",
            "parameters": [
              {
                "$ref": "#/components/parameters/format"
              }
            ],
            "responses": {
              "200": {
                "description": "ok, heap cleared",
                "content": {
                  "text/plain": {
                    "schema": {
                      "type": "string"
                    }
                  },
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Reply"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/E401"
              },
              "405": {
                "$ref": "#/components/responses/E405"
              }
            }
          }
        },
        "/defrag": {
          "post": {
            "summary": "DEFRAG: compact",
            "parameters": [
              {
                "$ref": "#/components/parameters/format"
              }
            ],
            "responses": {
              "200": {
                "description": "defragmentation complete; JSON has the moves",
                "content": {
                  "text/plain": {
                    "schema": {
                      "type": "string"
                    }
                  },
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Reply"
                    }
                  }
                }
              },
              "409": {
                "$ref": "#/components/responses/E409"
              },
              "401": {
                "$ref": "#/components/responses/E401"
              },
              "405": {
                "$ref": "#/components/responses/E405"
              }
            }
          }
        },
        "/command": {
          "post": {
            "summary": "Any line of the command language",
            "requestBody": {
              "required": true,
              "content": {
                "text/plain": {
                  "schema": {
                    "type": "string",
                    "example": "ALLOC 16"
                  }
                }
              }
            },
            "parameters": [
              {
                "$ref": "#/components/parameters/format"
              }
            ],
            "responses": {
              "200": {
                "description": "the reply text",
                "content": {
                  "text/plain": {
                    "schema": {
                      "type": "string"
                    }
                  },
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Reply"
                    }
                  }
                }
              },
              "201": {
                "description": "NEW or ALLOC succeeded",
                "content": {
                  "text/plain": {
                    "schema": {
                      "type": "string"
                    }
                  },
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Reply"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/E400"
              },
              "401": {
                "$ref": "#/components/responses/E401"
              },
              "404": {
                "$ref": "#/components/responses/E404"
              },
              "405": {
                "$ref": "#/components/responses/E405"
              },
              "409": {
                "$ref": "#/components/responses/E409"
              },
              "413": {
                "$ref": "#/components/responses/E413"
              }
            }
          }
        },
        "/heap": {
          "get": {
            "summary": "The whole state as JSON",
            "responses": {
              "200": {
                "description": "id, p, N, policy, allocations, metrics",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Heap"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/E401"
              },
              "405": {
                "$ref": "#/components/responses/E405"
              },
              "409": {
                "$ref": "#/components/responses/E409"
              }
            }
          }
        },
        "/stats": {
          "get": {
            "summary": "The metrics as JSON",
            "responses": {
              "200": {
                "description": "metrics",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Metrics"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/E401"
              },
              "405": {
                "$ref": "#/components/responses/E405"
              },
              "409": {
                "$ref": "#/components/responses/E409"
              }
            }
          }
        },
        "/events": {
          "get": {
            "summary": "Server-Sent Events: one `change` event per change",
            "responses": {
              "200": {
                "description": "text/event-stream",
                "content": {
                  "text/event-stream": {
                    "schema": {
                      "type": "string"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/E401"
              },
              "405": {
                "$ref": "#/components/responses/E405"
              }
            }
          }
        },
        "/replay": {
          "post": {
            "summary": "Replay a trace on a fresh in-memory heap (the shared heap is not touched)",
            "parameters": [
              {
                "name": "policy",
                "in": "query",
                "required": false,
                "description": "the placement policy (default first)",
                "schema": {
                  "type": "string",
                  "enum": [
                    "first",
                    "next",
                    "best",
                    "worst"
                  ]
                }
              },
              {
                "name": "page-size",
                "in": "query",
                "required": false,
                "description": "bytes per page (default 16)",
                "schema": {
                  "type": "integer",
                  "minimum": 1
                }
              },
              {
                "name": "pages",
                "in": "query",
                "required": false,
                "description": "pages of the heap (default: the trace's peak of live pages plus a quarter)",
                "schema": {
                  "type": "integer",
                  "minimum": 1
                }
              },
              {
                "name": "trace-format",
                "in": "query",
                "required": false,
                "description": "the trace's format (default: from its first word)",
                "schema": {
                  "type": "string",
                  "enum": [
                    "rep",
                    "ostep"
                  ]
                }
              },
              {
                "name": "timeline",
                "in": "query",
                "required": false,
                "description": "sample the figures every K operations",
                "schema": {
                  "type": "integer",
                  "minimum": 1
                }
              }
            ],
            "requestBody": {
              "required": true,
              "description": "the trace: CS:APP .rep (4 header numbers, then `a id size`, `f id`, `r id size` lines) or an OSTEP list (`+10,-0,+20`); at most 8 MiB",
              "content": {
                "text/plain": {
                  "schema": {
                    "type": "string"
                  },
                  "example": "100\n2\n3\n1\na 0 16\na 1 32\nf 0\n"
                }
              }
            },
            "responses": {
              "200": {
                "description": "the summary, as `memallook replay --json`",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/ReplaySummary"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/E400"
              },
              "401": {
                "$ref": "#/components/responses/E401"
              },
              "405": {
                "$ref": "#/components/responses/E405"
              },
              "413": {
                "$ref": "#/components/responses/E413"
              }
            }
          }
        },
        "/compare": {
          "post": {
            "summary": "Replay a trace under several policies",
            "parameters": [
              {
                "name": "policies",
                "in": "query",
                "required": false,
                "description": "policies separated by commas (default: all)",
                "schema": {
                  "type": "string"
                }
              },
              {
                "name": "page-size",
                "in": "query",
                "required": false,
                "description": "bytes per page (default 16)",
                "schema": {
                  "type": "integer",
                  "minimum": 1
                }
              },
              {
                "name": "pages",
                "in": "query",
                "required": false,
                "description": "pages of the heap (default: the trace's peak of live pages plus a quarter)",
                "schema": {
                  "type": "integer",
                  "minimum": 1
                }
              },
              {
                "name": "trace-format",
                "in": "query",
                "required": false,
                "description": "the trace's format (default: from its first word)",
                "schema": {
                  "type": "string",
                  "enum": [
                    "rep",
                    "ostep"
                  ]
                }
              }
            ],
            "requestBody": {
              "required": true,
              "description": "the trace: CS:APP .rep (4 header numbers, then `a id size`, `f id`, `r id size` lines) or an OSTEP list (`+10,-0,+20`); at most 8 MiB",
              "content": {
                "text/plain": {
                  "schema": {
                    "type": "string"
                  },
                  "example": "100\n2\n3\n1\na 0 16\na 1 32\nf 0\n"
                }
              }
            },
            "responses": {
              "200": {
                "description": "one summary per policy, as `memallook compare --json`",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/ReplaySummary"
                      }
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/E400"
              },
              "401": {
                "$ref": "#/components/responses/E401"
              },
              "405": {
                "$ref": "#/components/responses/E405"
              },
              "413": {
                "$ref": "#/components/responses/E413"
              }
            }
          }
        },
        "/healthz": {
          "get": {
            "summary": "Health check (no token needed)",
            "security": [
              {}
            ],
            "responses": {
              "200": {
                "description": "ok",
                "content": {
                  "text/plain": {
                    "schema": {
                      "type": "string"
                    }
                  }
                }
              },
              "405": {
                "$ref": "#/components/responses/E405"
              }
            }
          }
        },
        "/openapi.json": {
          "get": {
            "summary": "This document",
            "responses": {
              "200": {
                "description": "OpenAPI 3.1",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object"
                    }
                  }
                }
              },
              "401": {
                "$ref": "#/components/responses/E401"
              },
              "405": {
                "$ref": "#/components/responses/E405"
              }
            }
          }
        }
      },
      "components": {
        "securitySchemes": {
          "bearer": {
            "type": "http",
            "scheme": "bearer"
          }
        },
        "parameters": {
          "format": {
            "name": "format",
            "in": "query",
            "required": false,
            "description": "json for a JSON body",
            "schema": {
              "type": "string",
              "enum": [
                "json",
                "text"
              ]
            }
          }
        },
        "responses": {
          "E400": {
            "description": "malformed or missing parameter",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "E401": {
            "description": "missing or wrong bearer token",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "E404": {
            "description": "unknown tag",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "E405": {
            "description": "wrong method",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "E409": {
            "description": "no heap yet, or the allocation does not fit",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "E413": {
            "description": "body too large",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "schemas": {
          "Error": {
            "type": "object",
            "required": [
              "error",
              "message"
            ],
            "properties": {
              "error": {
                "type": "string",
                "enum": [
                  "no_heap",
                  "invalid_parameter",
                  "heap_too_large",
                  "allocation_failed",
                  "unknown_tag",
                  "syntax_error",
                  "unauthorized",
                  "method_not_allowed",
                  "body_too_large",
                  "malformed_body",
                  "malformed_trace"
                ]
              },
              "message": {
                "type": "string"
              }
            }
          },
          "Allocation": {
            "type": "object",
            "required": [
              "tag",
              "glyph",
              "bytes",
              "pages",
              "firstPage"
            ],
            "properties": {
              "tag": {
                "type": "string"
              },
              "glyph": {
                "type": "string"
              },
              "bytes": {
                "type": "integer"
              },
              "pages": {
                "type": "integer"
              },
              "firstPage": {
                "type": "integer"
              }
            }
          },
          "Metrics": {
            "type": "object",
            "properties": {
              "pagesUsed": {
                "type": "integer"
              },
              "pagesFree": {
                "type": "integer"
              },
              "peakPagesUsed": {
                "type": "integer"
              },
              "bytesRequested": {
                "type": "integer"
              },
              "bytesReserved": {
                "type": "integer"
              },
              "internalFragmentationBytes": {
                "type": "integer"
              },
              "internalFragmentation": {
                "type": "number"
              },
              "externalFragmentation": {
                "type": "number"
              },
              "freeRuns": {
                "type": "integer"
              },
              "longestFreeRun": {
                "type": "integer"
              },
              "liveAllocations": {
                "type": "integer"
              },
              "failedAllocations": {
                "type": "integer"
              }
            }
          },
          "Heap": {
            "type": "object",
            "required": [
              "heap",
              "p",
              "N",
              "policy"
            ],
            "properties": {
              "heap": {
                "type": "string"
              },
              "p": {
                "type": "integer"
              },
              "N": {
                "type": "integer"
              },
              "policy": {
                "type": "string"
              },
              "allocations": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/Allocation"
                }
              },
              "metrics": {
                "$ref": "#/components/schemas/Metrics"
              }
            }
          },
          "Reply": {
            "type": "object",
            "required": [
              "reply"
            ],
            "properties": {
              "reply": {
                "type": "string"
              },
              "detail": {
                "type": "string"
              },
              "heap": {
                "type": "string"
              },
              "p": {
                "type": "integer"
              },
              "N": {
                "type": "integer"
              },
              "policy": {
                "type": "string"
              },
              "tag": {
                "type": "string"
              },
              "glyph": {
                "type": "string"
              },
              "bytes": {
                "type": "integer"
              },
              "pages": {
                "type": "integer"
              },
              "firstPage": {
                "type": "integer"
              },
              "show": {
                "type": "string"
              },
              "metrics": {
                "$ref": "#/components/schemas/Metrics"
              },
              "moves": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "tag": {
                      "type": "string"
                    },
                    "from": {
                      "type": "integer"
                    },
                    "to": {
                      "type": "integer"
                    },
                    "pages": {
                      "type": "integer"
                    }
                  }
                }
              }
            }
          },
          "ReplayPoint": {
            "type": "object",
            "required": [
              "op",
              "failed",
              "peakPagesInUse",
              "pagesInUse",
              "liveAllocations",
              "freeRuns",
              "longestFreeRun",
              "externalFragmentation",
              "internalFragmentationBytes"
            ],
            "properties": {
              "op": {
                "type": "integer"
              },
              "failed": {
                "type": "integer"
              },
              "peakPagesInUse": {
                "type": "integer"
              },
              "pagesInUse": {
                "type": "integer"
              },
              "liveAllocations": {
                "type": "integer"
              },
              "freeRuns": {
                "type": "integer"
              },
              "longestFreeRun": {
                "type": "integer"
              },
              "externalFragmentation": {
                "type": "number"
              },
              "internalFragmentationBytes": {
                "type": "integer"
              }
            }
          },
          "ReplaySummary": {
            "type": "object",
            "required": [
              "op",
              "failed",
              "peakPagesInUse",
              "pagesInUse",
              "liveAllocations",
              "freeRuns",
              "longestFreeRun",
              "externalFragmentation",
              "internalFragmentationBytes",
              "policy",
              "pageSize",
              "pageCount",
              "operations",
              "skippedFrees",
              "meanExternalFragmentation",
              "utilization",
              "peakUtilization"
            ],
            "properties": {
              "op": {
                "type": "integer"
              },
              "failed": {
                "type": "integer"
              },
              "peakPagesInUse": {
                "type": "integer"
              },
              "pagesInUse": {
                "type": "integer"
              },
              "liveAllocations": {
                "type": "integer"
              },
              "freeRuns": {
                "type": "integer"
              },
              "longestFreeRun": {
                "type": "integer"
              },
              "externalFragmentation": {
                "type": "number"
              },
              "internalFragmentationBytes": {
                "type": "integer"
              },
              "policy": {
                "type": "string"
              },
              "pageSize": {
                "type": "integer"
              },
              "pageCount": {
                "type": "integer"
              },
              "operations": {
                "type": "integer"
              },
              "skippedFrees": {
                "type": "integer"
              },
              "meanExternalFragmentation": {
                "type": "number"
              },
              "utilization": {
                "type": "number"
              },
              "peakUtilization": {
                "type": "number"
              },
              "timeline": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/ReplayPoint"
                }
              }
            }
          }
        }
      }
    }
    """#
}
