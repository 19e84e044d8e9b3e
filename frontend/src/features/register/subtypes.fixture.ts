// A real GET /api/v1/subtypes answer (captured from the backend), for the tests of this folder.
import type { SubtypeInfo } from '../items/api.ts';

export const subtypesFixture: SubtypeInfo[] = [
  {
    "subtype": "ORGANISATION",
    "category": "AGENT",
    "label": "Organisation",
    "json_schema": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "title": "Organisation",
      "type": "object",
      "properties": {
        "display_name": {
          "title": "Display name",
          "description": "The name shown for this record in lists and search results.",
          "type": "string",
          "maxLength": 256,
          "minLength": 1
        },
        "name": {
          "title": "Name",
          "description": "The organisation's full official name.",
          "type": "string",
          "maxLength": 4000,
          "minLength": 1
        },
        "ror": {
          "format": "uri",
          "title": "ROR identifier",
          "description": "The organisation's Research Organization Registry address.",
          "type": "string",
          "maxLength": 4000,
          "minLength": 1,
          "pattern": "^https?://[^\\s/?#]+(?:[/?#]\\S*)?$"
        },
        "user_metadata": {
          "title": "User metadata",
          "description": "Your own extra details, as name and value pairs.",
          "type": "object",
          "propertyNames": {
            "maxLength": 4000,
            "minLength": 1
          },
          "additionalProperties": {
            "type": "string",
            "maxLength": 4000,
            "minLength": 1
          },
          "maxProperties": 500
        }
      },
      "required": [
        "display_name",
        "name"
      ],
      "additionalProperties": false
    },
    "ui_schema": {
      "ui:order": [
        "display_name",
        "name",
        "ror",
        "user_metadata"
      ],
      "ror": {
        "ui:help": "A full web address starting with https:// or http://."
      }
    }
  },
  {
    "subtype": "PERSON",
    "category": "AGENT",
    "label": "Person",
    "json_schema": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "title": "Person",
      "type": "object",
      "properties": {
        "display_name": {
          "title": "Display name",
          "description": "The name shown for this record in lists and search results.",
          "type": "string",
          "maxLength": 256,
          "minLength": 1
        },
        "first_name": {
          "title": "First name",
          "type": "string",
          "maxLength": 4000,
          "minLength": 1
        },
        "last_name": {
          "title": "Last name",
          "type": "string",
          "maxLength": 4000,
          "minLength": 1
        },
        "email": {
          "format": "email",
          "title": "E-mail address",
          "type": "string",
          "maxLength": 4000,
          "minLength": 1,
          "pattern": "^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$"
        },
        "orcid": {
          "title": "ORCID iD",
          "type": "string",
          "pattern": "^https://orcid\\.org/[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"
        },
        "ethics_approved": {
          "default": false,
          "title": "Ethics approved",
          "description": "Confirm that this person's details may be recorded under your ethics approval.",
          "x-clone-reset": false,
          "type": "boolean"
        },
        "user_metadata": {
          "title": "User metadata",
          "description": "Your own extra details, as name and value pairs.",
          "type": "object",
          "propertyNames": {
            "maxLength": 4000,
            "minLength": 1
          },
          "additionalProperties": {
            "type": "string",
            "maxLength": 4000,
            "minLength": 1
          },
          "maxProperties": 500
        }
      },
      "required": [
        "display_name",
        "first_name",
        "last_name",
        "email",
        "ethics_approved"
      ],
      "additionalProperties": false
    },
    "ui_schema": {
      "ui:order": [
        "display_name",
        "first_name",
        "last_name",
        "email",
        "orcid",
        "ethics_approved",
        "user_metadata"
      ],
      "orcid": {
        "ui:help": "The full ORCID iD address, e.g. https://orcid.org/0000-0002-1825-0097."
      }
    }
  },
  {
    "subtype": "MODEL",
    "category": "ENTITY",
    "label": "Model",
    "json_schema": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "title": "Model",
      "type": "object",
      "properties": {
        "display_name": {
          "title": "Display name",
          "description": "The name shown for this record in lists and search results.",
          "type": "string",
          "maxLength": 256,
          "minLength": 1
        },
        "name": {
          "title": "Name",
          "type": "string",
          "maxLength": 4000,
          "minLength": 1
        },
        "description": {
          "title": "Description",
          "description": "What the model does.",
          "type": "string",
          "maxLength": 4000,
          "minLength": 1
        },
        "documentation_url": {
          "format": "uri",
          "title": "Documentation address",
          "type": "string",
          "maxLength": 4000,
          "minLength": 1,
          "pattern": "^https?://[^\\s/?#]+(?:[/?#]\\S*)?$"
        },
        "source_url": {
          "format": "uri",
          "title": "Source code address",
          "type": "string",
          "maxLength": 4000,
          "minLength": 1,
          "pattern": "^https?://[^\\s/?#]+(?:[/?#]\\S*)?$"
        },
        "user_metadata": {
          "title": "User metadata",
          "description": "Your own extra details, as name and value pairs.",
          "type": "object",
          "propertyNames": {
            "maxLength": 4000,
            "minLength": 1
          },
          "additionalProperties": {
            "type": "string",
            "maxLength": 4000,
            "minLength": 1
          },
          "maxProperties": 500
        }
      },
      "required": [
        "display_name",
        "name",
        "description",
        "documentation_url",
        "source_url"
      ],
      "additionalProperties": false
    },
    "ui_schema": {
      "ui:order": [
        "display_name",
        "name",
        "description",
        "documentation_url",
        "source_url",
        "user_metadata"
      ],
      "description": {
        "ui:widget": "textarea"
      },
      "documentation_url": {
        "ui:help": "A full web address starting with https:// or http://."
      },
      "source_url": {
        "ui:help": "A full web address starting with https:// or http://."
      }
    }
  },
  {
    "subtype": "DATASET_TEMPLATE",
    "category": "ENTITY",
    "label": "Dataset template",
    "json_schema": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "title": "Dataset template",
      "type": "object",
      "properties": {
        "display_name": {
          "title": "Display name",
          "description": "The name shown for this record in lists and search results.",
          "type": "string",
          "maxLength": 256,
          "minLength": 1
        },
        "description": {
          "title": "Description",
          "type": "string",
          "maxLength": 4000,
          "minLength": 1
        },
        "defined_resources": {
          "title": "Defined resources",
          "description": "Resources whose path within the dataset is fixed.",
          "type": "array",
          "items": {
            "$ref": "#/$defs/DefinedResource"
          },
          "maxItems": 500,
          "default": []
        },
        "deferred_resources": {
          "title": "Deferred resources",
          "description": "Resources whose path is given later, by key.",
          "type": "array",
          "items": {
            "$ref": "#/$defs/DeferredResource"
          },
          "maxItems": 500,
          "default": []
        },
        "user_metadata": {
          "title": "User metadata",
          "description": "Your own extra details, as name and value pairs.",
          "type": "object",
          "propertyNames": {
            "maxLength": 4000,
            "minLength": 1
          },
          "additionalProperties": {
            "type": "string",
            "maxLength": 4000,
            "minLength": 1
          },
          "maxProperties": 500
        }
      },
      "required": [
        "display_name"
      ],
      "additionalProperties": false,
      "$defs": {
        "DefinedResource": {
          "title": "Defined resource",
          "type": "object",
          "properties": {
            "path": {
              "title": "Path",
              "description": "Where the resource is within the dataset.",
              "type": "string",
              "maxLength": 4000,
              "minLength": 1
            },
            "description": {
              "title": "Description",
              "type": "string",
              "maxLength": 4000,
              "minLength": 1
            },
            "usage_type": {
              "title": "Usage type",
              "type": "string",
              "enum": [
                "CONFIG_FILE",
                "FORCING_DATA",
                "GENERAL_DATA",
                "PARAMETER_FILE"
              ]
            },
            "optional": {
              "title": "Resource is optional",
              "type": "boolean"
            },
            "is_folder": {
              "title": "Resource is a folder",
              "type": "boolean"
            },
            "additional_metadata": {
              "title": "Additional metadata",
              "type": "object",
              "propertyNames": {
                "maxLength": 4000,
                "minLength": 1
              },
              "additionalProperties": {
                "type": "string",
                "maxLength": 4000,
                "minLength": 1
              },
              "maxProperties": 500
            }
          },
          "required": [
            "path",
            "description",
            "usage_type"
          ],
          "additionalProperties": false
        },
        "DeferredResource": {
          "title": "Deferred resource",
          "type": "object",
          "properties": {
            "key": {
              "title": "Key",
              "description": "Names the resource until its path is known.",
              "type": "string",
              "maxLength": 4000,
              "minLength": 1
            },
            "description": {
              "title": "Description",
              "type": "string",
              "maxLength": 4000,
              "minLength": 1
            },
            "usage_type": {
              "title": "Usage type",
              "type": "string",
              "enum": [
                "CONFIG_FILE",
                "FORCING_DATA",
                "GENERAL_DATA",
                "PARAMETER_FILE"
              ]
            },
            "optional": {
              "title": "Resource is optional",
              "type": "boolean"
            },
            "is_folder": {
              "title": "Resource is a folder",
              "type": "boolean"
            },
            "additional_metadata": {
              "title": "Additional metadata",
              "type": "object",
              "propertyNames": {
                "maxLength": 4000,
                "minLength": 1
              },
              "additionalProperties": {
                "type": "string",
                "maxLength": 4000,
                "minLength": 1
              },
              "maxProperties": 500
            }
          },
          "required": [
            "key",
            "description",
            "usage_type"
          ],
          "additionalProperties": false
        }
      }
    },
    "ui_schema": {
      "ui:order": [
        "display_name",
        "description",
        "defined_resources",
        "deferred_resources",
        "user_metadata"
      ],
      "description": {
        "ui:widget": "textarea"
      },
      "defined_resources": {
        "items": {
          "ui:order": [
            "path",
            "description",
            "usage_type",
            "optional",
            "is_folder",
            "additional_metadata"
          ],
          "description": {
            "ui:widget": "textarea"
          },
          "usage_type": {
            "ui:enumNames": {
              "PARAMETER_FILE": "Parameter file",
              "CONFIG_FILE": "Configuration file",
              "FORCING_DATA": "Forcing data",
              "GENERAL_DATA": "General data"
            }
          }
        }
      },
      "deferred_resources": {
        "items": {
          "ui:order": [
            "key",
            "description",
            "usage_type",
            "optional",
            "is_folder",
            "additional_metadata"
          ],
          "description": {
            "ui:widget": "textarea"
          },
          "usage_type": {
            "ui:enumNames": {
              "PARAMETER_FILE": "Parameter file",
              "CONFIG_FILE": "Configuration file",
              "FORCING_DATA": "Forcing data",
              "GENERAL_DATA": "General data"
            }
          }
        }
      }
    }
  },
  {
    "subtype": "MODEL_RUN_WORKFLOW_TEMPLATE",
    "category": "ENTITY",
    "label": "Model run workflow template",
    "json_schema": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "title": "Model run workflow template",
      "type": "object",
      "properties": {
        "display_name": {
          "title": "Display name",
          "description": "The name shown for this record in lists and search results.",
          "type": "string",
          "maxLength": 256,
          "minLength": 1
        },
        "software_id": {
          "x-ref-subtype": "MODEL",
          "title": "Model",
          "description": "The model this workflow runs.",
          "type": "string",
          "format": "uuid"
        },
        "input_templates": {
          "title": "Input dataset templates",
          "type": "array",
          "items": {
            "$ref": "#/$defs/TemplateSlot"
          },
          "maxItems": 500,
          "default": []
        },
        "output_templates": {
          "title": "Output dataset templates",
          "type": "array",
          "items": {
            "$ref": "#/$defs/TemplateSlot"
          },
          "maxItems": 500,
          "default": []
        },
        "annotations": {
          "title": "Annotations",
          "$ref": "#/$defs/WorkflowAnnotations"
        },
        "user_metadata": {
          "title": "User metadata",
          "description": "Your own extra details, as name and value pairs.",
          "type": "object",
          "propertyNames": {
            "maxLength": 4000,
            "minLength": 1
          },
          "additionalProperties": {
            "type": "string",
            "maxLength": 4000,
            "minLength": 1
          },
          "maxProperties": 500
        }
      },
      "required": [
        "display_name",
        "software_id"
      ],
      "additionalProperties": false,
      "$defs": {
        "TemplateSlot": {
          "title": "Dataset template slot",
          "type": "object",
          "properties": {
            "template_id": {
              "x-ref-subtype": "DATASET_TEMPLATE",
              "title": "Dataset template",
              "type": "string",
              "format": "uuid"
            },
            "optional": {
              "default": false,
              "title": "Dataset is optional",
              "type": "boolean"
            }
          },
          "required": [
            "template_id",
            "optional"
          ],
          "additionalProperties": false
        },
        "WorkflowAnnotations": {
          "title": "Annotations",
          "type": "object",
          "properties": {
            "required": {
              "title": "Required annotations",
              "type": "array",
              "items": {
                "type": "string",
                "maxLength": 4000,
                "minLength": 1
              },
              "maxItems": 500
            },
            "optional": {
              "title": "Optional annotations",
              "type": "array",
              "items": {
                "type": "string",
                "maxLength": 4000,
                "minLength": 1
              },
              "maxItems": 500
            }
          },
          "required": [
            "required",
            "optional"
          ],
          "additionalProperties": false
        }
      }
    },
    "ui_schema": {
      "ui:order": [
        "display_name",
        "software_id",
        "input_templates",
        "output_templates",
        "annotations",
        "user_metadata"
      ],
      "input_templates": {
        "items": {
          "ui:order": [
            "template_id",
            "optional"
          ]
        }
      },
      "output_templates": {
        "items": {
          "ui:order": [
            "template_id",
            "optional"
          ]
        }
      },
      "annotations": {
        "ui:order": [
          "required",
          "optional"
        ]
      }
    }
  },
  {
    "subtype": "STUDY",
    "category": "ACTIVITY",
    "label": "Study",
    "json_schema": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "title": "Study",
      "type": "object",
      "properties": {
        "display_name": {
          "title": "Display name",
          "description": "The name shown for this record in lists and search results.",
          "type": "string",
          "maxLength": 256,
          "minLength": 1
        },
        "title": {
          "title": "Title",
          "type": "string",
          "maxLength": 4000,
          "minLength": 1
        },
        "description": {
          "title": "Description",
          "type": "string",
          "maxLength": 4000,
          "minLength": 1
        },
        "study_alternative_id": {
          "title": "Alternative identifier",
          "description": "Another identifier the study is known by.",
          "type": "string",
          "maxLength": 4000,
          "minLength": 1
        },
        "user_metadata": {
          "title": "User metadata",
          "description": "Your own extra details, as name and value pairs.",
          "type": "object",
          "propertyNames": {
            "maxLength": 4000,
            "minLength": 1
          },
          "additionalProperties": {
            "type": "string",
            "maxLength": 4000,
            "minLength": 1
          },
          "maxProperties": 500
        }
      },
      "required": [
        "display_name",
        "title",
        "description"
      ],
      "additionalProperties": false
    },
    "ui_schema": {
      "ui:order": [
        "display_name",
        "title",
        "description",
        "study_alternative_id",
        "user_metadata"
      ],
      "description": {
        "ui:widget": "textarea"
      }
    }
  },
  {
    "subtype": "DATASET",
    "category": "ENTITY",
    "label": "Dataset",
    "json_schema": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "title": "Dataset",
      "type": "object",
      "properties": {
        "display_name": {
          "title": "Display name",
          "description": "The name shown for this record in lists and search results.",
          "type": "string",
          "maxLength": 256,
          "minLength": 1
        },
        "associations": {
          "title": "Associations",
          "$ref": "#/$defs/Associations"
        },
        "approvals": {
          "title": "Approvals",
          "$ref": "#/$defs/Approvals"
        },
        "dataset_info": {
          "title": "Dataset information",
          "$ref": "#/$defs/DatasetInfo"
        },
        "user_metadata": {
          "title": "User metadata",
          "description": "Your own extra details, as name and value pairs.",
          "type": "object",
          "propertyNames": {
            "maxLength": 4000,
            "minLength": 1
          },
          "additionalProperties": {
            "type": "string",
            "maxLength": 4000,
            "minLength": 1
          },
          "maxProperties": 500
        }
      },
      "required": [
        "display_name",
        "associations",
        "approvals",
        "dataset_info"
      ],
      "additionalProperties": false,
      "$defs": {
        "Associations": {
          "title": "Associations",
          "type": "object",
          "properties": {
            "organisation_id": {
              "x-ref-subtype": "ORGANISATION",
              "title": "Organisation",
              "type": "string",
              "format": "uuid"
            },
            "data_custodian_id": {
              "x-ref-subtype": "PERSON",
              "title": "Data custodian",
              "type": "string",
              "format": "uuid"
            },
            "point_of_contact": {
              "title": "Point of contact",
              "type": "string",
              "maxLength": 4000,
              "minLength": 1
            }
          },
          "required": [
            "organisation_id"
          ],
          "additionalProperties": false
        },
        "Approvals": {
          "title": "Approvals",
          "type": "object",
          "properties": {
            "ethics_registration": {
              "title": "Ethics registration",
              "$ref": "#/$defs/EthicsRegistration"
            },
            "ethics_access": {
              "title": "Ethics access",
              "$ref": "#/$defs/EthicsAccess"
            },
            "indigenous_knowledge": {
              "title": "Indigenous knowledge",
              "$ref": "#/$defs/IndigenousKnowledge"
            },
            "export_controls": {
              "title": "Export controls",
              "$ref": "#/$defs/ExportControls"
            }
          },
          "required": [
            "ethics_registration",
            "ethics_access",
            "indigenous_knowledge",
            "export_controls"
          ],
          "additionalProperties": false
        },
        "EthicsRegistration": {
          "title": "Ethics registration",
          "type": "object",
          "properties": {
            "relevant": {
              "default": false,
              "title": "Ethics registration relevant",
              "type": "boolean"
            },
            "obtained": {
              "default": false,
              "title": "Ethics registration obtained",
              "x-clone-reset": false,
              "type": "boolean"
            }
          },
          "required": [
            "relevant",
            "obtained"
          ],
          "additionalProperties": false
        },
        "EthicsAccess": {
          "title": "Ethics access",
          "type": "object",
          "properties": {
            "relevant": {
              "default": false,
              "title": "Ethics access relevant",
              "type": "boolean"
            },
            "obtained": {
              "default": false,
              "title": "Ethics access obtained",
              "x-clone-reset": false,
              "type": "boolean"
            }
          },
          "required": [
            "relevant",
            "obtained"
          ],
          "additionalProperties": false
        },
        "IndigenousKnowledge": {
          "title": "Indigenous knowledge",
          "type": "object",
          "properties": {
            "relevant": {
              "default": false,
              "title": "Indigenous knowledge relevant",
              "type": "boolean"
            },
            "obtained": {
              "default": false,
              "title": "Indigenous knowledge obtained",
              "x-clone-reset": false,
              "type": "boolean"
            }
          },
          "required": [
            "relevant",
            "obtained"
          ],
          "additionalProperties": false
        },
        "ExportControls": {
          "title": "Export controls",
          "type": "object",
          "properties": {
            "relevant": {
              "default": false,
              "title": "Export controls relevant",
              "type": "boolean"
            },
            "obtained": {
              "default": false,
              "title": "Export controls obtained",
              "x-clone-reset": false,
              "type": "boolean"
            }
          },
          "required": [
            "relevant",
            "obtained"
          ],
          "additionalProperties": false
        },
        "DatasetInfo": {
          "title": "Dataset information",
          "type": "object",
          "properties": {
            "name": {
              "title": "Name",
              "type": "string",
              "maxLength": 4000,
              "minLength": 1
            },
            "description": {
              "title": "Description",
              "type": "string",
              "maxLength": 4000,
              "minLength": 1
            },
            "publisher_id": {
              "x-ref-subtype": "ORGANISATION",
              "title": "Publisher",
              "type": "string",
              "format": "uuid"
            },
            "license": {
              "format": "uri",
              "title": "Licence",
              "description": "The address of the licence the data is under.",
              "type": "string",
              "maxLength": 4000,
              "minLength": 1,
              "pattern": "^https?://[^\\s/?#]+(?:[/?#]\\S*)?$"
            },
            "created_date": {
              "title": "Date created",
              "type": "string",
              "format": "date"
            },
            "published_date": {
              "title": "Date published",
              "type": "string",
              "format": "date"
            },
            "access_info": {
              "title": "Access information",
              "$ref": "#/$defs/AccessInfo"
            },
            "purpose": {
              "title": "Purpose",
              "type": "string",
              "maxLength": 4000,
              "minLength": 1
            },
            "rights_holder": {
              "title": "Rights holder",
              "type": "string",
              "maxLength": 4000,
              "minLength": 1
            },
            "usage_limitations": {
              "title": "Usage limitations",
              "type": "string",
              "maxLength": 4000,
              "minLength": 1
            },
            "preferred_citation": {
              "title": "Preferred citation",
              "type": "string",
              "maxLength": 4000,
              "minLength": 1
            },
            "spatial_info": {
              "title": "Spatial coverage",
              "type": "string",
              "maxLength": 4000,
              "minLength": 1
            },
            "temporal_info": {
              "title": "Temporal coverage",
              "type": "string",
              "maxLength": 4000,
              "minLength": 1
            },
            "formats": {
              "title": "Formats",
              "description": "File formats, e.g. CSV or NetCDF.",
              "type": "array",
              "items": {
                "type": "string",
                "maxLength": 4000,
                "minLength": 1
              },
              "maxItems": 500,
              "default": []
            },
            "keywords": {
              "title": "Keywords",
              "type": "array",
              "items": {
                "type": "string",
                "maxLength": 4000,
                "minLength": 1
              },
              "maxItems": 500,
              "default": []
            }
          },
          "required": [
            "name",
            "description",
            "publisher_id",
            "license",
            "created_date",
            "published_date",
            "access_info"
          ],
          "additionalProperties": false
        },
        "AccessInfo": {
          "title": "Access information",
          "type": "object",
          "properties": {
            "reposited": {
              "default": false,
              "title": "Data reposited in the Registry",
              "description": "Whether the data files are stored in the Registry's datastore. If not, give the address and a description of how to get the data.",
              "type": "boolean"
            },
            "uri": {
              "format": "uri",
              "title": "Access address",
              "type": "string",
              "maxLength": 4000,
              "minLength": 1,
              "pattern": "^https?://[^\\s/?#]+(?:[/?#]\\S*)?$"
            },
            "description": {
              "title": "How to access the data",
              "type": "string",
              "maxLength": 4000,
              "minLength": 1
            }
          },
          "required": [
            "reposited"
          ],
          "additionalProperties": false
        }
      }
    },
    "ui_schema": {
      "ui:order": [
        "display_name",
        "associations",
        "approvals",
        "dataset_info",
        "user_metadata"
      ],
      "associations": {
        "ui:order": [
          "organisation_id",
          "data_custodian_id",
          "point_of_contact"
        ]
      },
      "approvals": {
        "ui:order": [
          "ethics_registration",
          "ethics_access",
          "indigenous_knowledge",
          "export_controls"
        ],
        "ethics_registration": {
          "ui:order": [
            "relevant",
            "obtained"
          ]
        },
        "ethics_access": {
          "ui:order": [
            "relevant",
            "obtained"
          ]
        },
        "indigenous_knowledge": {
          "ui:order": [
            "relevant",
            "obtained"
          ]
        },
        "export_controls": {
          "ui:order": [
            "relevant",
            "obtained"
          ]
        }
      },
      "dataset_info": {
        "ui:order": [
          "name",
          "description",
          "publisher_id",
          "license",
          "created_date",
          "published_date",
          "access_info",
          "purpose",
          "rights_holder",
          "usage_limitations",
          "preferred_citation",
          "spatial_info",
          "temporal_info",
          "formats",
          "keywords"
        ],
        "description": {
          "ui:widget": "textarea"
        },
        "license": {
          "ui:help": "A full web address starting with https:// or http://."
        },
        "access_info": {
          "ui:order": [
            "reposited",
            "uri",
            "description"
          ],
          "uri": {
            "ui:help": "A full web address starting with https:// or http://."
          },
          "description": {
            "ui:widget": "textarea"
          }
        },
        "purpose": {
          "ui:widget": "textarea"
        },
        "usage_limitations": {
          "ui:widget": "textarea"
        },
        "preferred_citation": {
          "ui:widget": "textarea"
        }
      }
    }
  }
];
